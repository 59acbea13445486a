import Foundation
import KerasWeights

/// `keras-h5 IN OUT`: reads a Keras weights file with libhdf5 (KerasWeights) and writes its
/// weights to OUT as safetensors (`KerasSafetensors`).
enum KerasConversion {
    struct Report: Encodable {
        var converted: Bool
        var message: String?
        var weights: Int?
    }

    /// The report as JSON.
    static func run(input: String, output: String) -> String {
        let report: Report
        do {
            let file = try KerasWeightsFile.read(URL(fileURLWithPath: input))
            try KerasSafetensors.write(file, to: URL(fileURLWithPath: output))
            report = Report(converted: true, message: nil, weights: file.layers.reduce(0) { $0 + $1.tensors.count })
        } catch {
            report = Report(converted: false, message: error.description, weights: nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"converted": false}"#
    }
}
