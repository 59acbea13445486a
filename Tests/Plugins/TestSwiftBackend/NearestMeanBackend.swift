import BackendPluginKit
import Foundation
import TrainingMetrics

/// TestSwiftBackend: a plugin written in Swift through BackendPluginKit, so the Swift adapter is
/// tested end to end the way the ScratchCNN plugin will use it. The model is a nearest class mean
/// on 8x8-pooled pixels with probabilities softmax(-distance² / temperature); "training" an
/// epoch recomputes the class means from the samples it visits.
final class NearestMeanBackend: SwiftBackend {
    static let id = "test-swift-nearest-mean"
    static let version = "1.0.0"
    static let displayName = "Test nearest class mean (Swift)"
    static let description = "Nearest class mean on pooled pixels; tests plugins written in Swift."
    static let defaultHyperParametersJSON = "{\"temperature\": 100}"

    static let side = 8
    static let features = side * side * 3

    let classCount: Int
    let inputScale: Float
    let temperature: Float
    var means: [Float]

    init(classCount: Int, inputScale: Float, temperature: Float, means: [Float]) {
        self.classCount = classCount
        self.inputScale = inputScale
        self.temperature = temperature
        self.means = means
    }

    static func create(_ configuration: SwiftBackendConfiguration) throws -> Self {
        guard configuration.classCount >= 2 else { throw SwiftBackendError.invalidArgument("nearest-mean: need at least 2 classes") }
        let json = try JSONSerialization.jsonObject(with: Data(configuration.hyperParametersJSON.utf8)) as? [String: Any] ?? [:]
        let temperature = (json["temperature"] as? Double) ?? 100
        guard temperature > 0 else { throw SwiftBackendError.invalidArgument("nearest-mean: temperature must be positive") }
        return Self(classCount: configuration.classCount, inputScale: configuration.inputScale,
                    temperature: Float(temperature), means: [Float](repeating: 0, count: configuration.classCount * features))
    }

    private func featurize(_ pixels: UnsafeBufferPointer<UInt8>, image: Int) -> [Float] {
        var out = [Float](repeating: 0, count: Self.features)
        let base = image * 64 * 64 * 3
        let pool = 64 / Self.side
        for y in 0..<64 {
            for x in 0..<64 {
                for c in 0..<3 {
                    out[((y / pool) * Self.side + x / pool) * 3 + c] += Float(pixels[base + (y * 64 + x) * 3 + c])
                }
            }
        }
        let scale = inputScale / Float(pool * pool)
        return out.map { $0 * scale }
    }

    private func probabilities(_ f: [Float]) -> [Float] {
        var logits = (0..<classCount).map { k -> Float in
            var d: Float = 0
            for j in 0..<Self.features { let t = f[j] - means[k * Self.features + j]; d += t * t }
            return -d / temperature
        }
        let top = logits.max()!
        logits = logits.map { exp($0 - top) }
        let sum = logits.reduce(0, +)
        return logits.map { $0 / sum }
    }

    private func pass(_ source: SampleBatches, order: [UInt64], batchSize: Int, learn: Bool, progress: BatchReporter) throws -> PassMetrics {
        var pixels: [UInt8] = [], labels: [Int32] = []
        var sums = [Float](repeating: 0, count: classCount * Self.features)
        var counts = [Int](repeating: 0, count: classCount)
        var loss = 0.0, correct = 0.0, seen = 0
        let batches = (order.count + batchSize - 1) / batchSize
        for b in 0..<batches {
            let slice = order[(b * batchSize)..<min(order.count, (b + 1) * batchSize)]
            try source.fetch(slice, pixels: &pixels, labels: &labels)
            try pixels.withUnsafeBufferPointer { px in
                for i in 0..<slice.count {
                    let label = Int(labels[i])
                    guard (0..<classCount).contains(label) else { throw SwiftBackendError.invalidArgument("nearest-mean: label out of range") }
                    let f = featurize(px, image: i)
                    let p = probabilities(f)
                    loss -= log(Double(max(p[label], 1e-7)))
                    correct += p.indices.max { p[$0] < p[$1] } == label ? 1 : 0
                    if learn {
                        counts[label] += 1
                        for j in 0..<Self.features { sums[label * Self.features + j] += f[j] }
                    }
                }
            }
            seen += slice.count
            if !progress.report(batchesDone: b + 1, batchesTotal: batches, runningLoss: loss / Double(seen),
                                runningAccuracy: correct / Double(seen)) {
                throw SwiftBackendError.cancelled
            }
        }
        if learn {
            for k in 0..<classCount where counts[k] > 0 {
                for j in 0..<Self.features { means[k * Self.features + j] = sums[k * Self.features + j] / Float(counts[k]) }
            }
        }
        return PassMetrics(loss: seen > 0 ? loss / Double(seen) : 0, accuracy: seen > 0 ? correct / Double(seen) : 0, samples: seen)
    }

    func trainEpoch(_ source: SampleBatches, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: BatchReporter) throws -> PassMetrics {
        try pass(source, order: source.shuffledOrder(seed: shuffleSeed), batchSize: batchSize, learn: true, progress: progress)
    }

    func evaluate(_ source: SampleBatches, batchSize: Int, progress: BatchReporter) throws -> PassMetrics {
        try pass(source, order: (0..<UInt64(source.count)).map { $0 }, batchSize: batchSize, learn: false, progress: progress)
    }

    func predict(pixels: UnsafeBufferPointer<UInt8>, count: Int, into probabilities: UnsafeMutableBufferPointer<Float>) throws {
        for i in 0..<count {
            for (k, p) in self.probabilities(featurize(pixels, image: i)).enumerated() { probabilities[i * classCount + k] = p }
        }
    }

    // File: "NMEAN1", classCount, inputScale, temperature, then the means (little-endian).
    func save(to directory: String) throws {
        var data = Data("NMEAN1".utf8)
        withUnsafeBytes(of: UInt32(classCount).littleEndian) { data.append(contentsOf: $0) }
        for value in [inputScale, temperature] + means { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        do { try data.write(to: URL(fileURLWithPath: directory).appendingPathComponent("means.bin")) } catch {
            throw SwiftBackendError.io("nearest-mean: cannot write means.bin: \(error.localizedDescription)")
        }
    }

    static func load(from directory: String) throws -> Self {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("means.bin")
        guard let data = try? Data(contentsOf: path) else { throw SwiftBackendError.io("nearest-mean: cannot read \(path.path)") }
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        guard bytes.count >= 10, Array(bytes[0..<6]) == Array("NMEAN1".utf8) else { throw SwiftBackendError.format("nearest-mean: \(path.path) is not a means file") }
        let classes = Int(u32(6))
        guard classes >= 2, bytes.count == 10 + 4 * (2 + classes * features) else {
            throw SwiftBackendError.format("nearest-mean: \(path.path) is truncated")
        }
        let floats = (0..<(2 + classes * features)).map { Float(bitPattern: u32(10 + 4 * $0)) }
        return Self(classCount: classes, inputScale: floats[0], temperature: floats[1], means: Array(floats[2...]))
    }
}

@_cdecl("tribelens_backend_entry")
public func tribelensBackendEntry() -> UnsafeRawPointer {
    BackendExport.table(for: NearestMeanBackend.self)
}
