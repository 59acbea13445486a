import BackendPluginKit
import Foundation

/// The small JSON file a NeuralKit plugin writes next to `weights.safetensors`: what it needs to
/// rebuild the network before loading the weights.
public struct SavedSettings: Codable, Equatable {
    public var format = 1
    public var classes: Int
    public var inputScale: Float
    public var momentum: Float
    /// Plugin-specific strings (e.g. VGG16's weights source and freeze point).
    public var extra: [String: String] = [:]

    public init(classes: Int, inputScale: Float, momentum: Float, extra: [String: String] = [:]) {
        self.classes = classes
        self.inputScale = inputScale
        self.momentum = momentum
        self.extra = extra
    }

    /// Far more members than any roster has (LFW, 5,749 people, fits); a dense layer of 4,096
    /// inputs for this many classes is 164 MB.
    public static let maximumClasses = 10_000

    public static func read(_ directory: String, file: String, plugin: String) throws -> SavedSettings {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url) else { throw SwiftBackendError.io("\(plugin): cannot read \(url.path)") }
        guard let settings = try? JSONDecoder().decode(SavedSettings.self, from: data), settings.format == 1,
              settings.classes >= 2, settings.inputScale > 0 else {
            throw SwiftBackendError.format("\(plugin): \(url.path) is not a settings file this version understands")
        }
        // The network is built from this count before its weights are read: 2^31 classes asked
        // for a terabyte and the process died (found by Tests/Fuzz).
        guard settings.classes <= maximumClasses else {
            throw SwiftBackendError.format("\(plugin): \(url.path) says \(settings.classes) classes; a model has at most \(maximumClasses)")
        }
        return settings
    }

    public func write(_ directory: String, file: String, plugin: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(file)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: url)
        } catch {
            throw SwiftBackendError.io("\(plugin): cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
