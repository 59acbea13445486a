import BackendPluginKit
import Foundation

/// A plugin's hyper-parameter JSON object, read with clear errors for known keys with bad values
/// (unknown keys are ignored, as the ABI asks).
public struct HyperParameters {
    /// One JSON value; JSONDecoder (unlike JSONSerialization's NSNumber on Linux) keeps `1` and
    /// `true` apart.
    enum Value: Decodable {
        case bool(Bool), number(Double), string(String), other

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let n = try? c.decode(Double.self) { self = .number(n) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else { self = .other }
        }
    }

    let values: [String: Value]
    let plugin: String

    public init(json: String, plugin: String) throws {
        self.plugin = plugin
        guard let object = try? JSONDecoder().decode([String: Value].self, from: Data(json.utf8)) else {
            throw SwiftBackendError.invalidArgument("\(plugin): hyper-parameters are not a JSON object: \(json)")
        }
        values = object
    }

    public func number(_ key: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let raw = values[key] else { return value }
        guard case .number(let n) = raw, range.contains(n) else {
            throw SwiftBackendError.invalidArgument("\(plugin): '\(key)' must be a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    public func string(_ key: String, default value: String) throws -> String {
        guard let raw = values[key] else { return value }
        guard case .string(let s) = raw else { throw SwiftBackendError.invalidArgument("\(plugin): '\(key)' must be a string") }
        return s
    }
}
