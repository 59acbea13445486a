import BackendPluginKit
import Foundation

/// A plugin's hyper-parameter JSON object, read with clear errors for known keys with bad values
/// (unknown keys are ignored, as the ABI asks).
public struct HyperParameters {
    let values: [String: Any]
    let plugin: String

    public init(json: String, plugin: String) throws {
        self.plugin = plugin
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw SwiftBackendError.invalidArgument("\(plugin): hyper-parameters are not a JSON object: \(json)")
        }
        values = object
    }

    public func number(_ key: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let raw = values[key] else { return value }
        guard let n = raw as? NSNumber, !(raw is Bool), range.contains(n.doubleValue) else {
            throw SwiftBackendError.invalidArgument("\(plugin): '\(key)' must be a number in \(range.lowerBound)...\(range.upperBound), got \(raw)")
        }
        return n.doubleValue
    }

    public func string(_ key: String, default value: String) throws -> String {
        guard let raw = values[key] else { return value }
        guard let s = raw as? String else { throw SwiftBackendError.invalidArgument("\(plugin): '\(key)' must be a string") }
        return s
    }
}
