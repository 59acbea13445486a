import BackendABI

/// An error a backend reported through the ABI (status code + message) or the host detected.
public struct BackendError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: Int32, Sendable {
        case invalidArgument = 1, outOfMemory, io, format, cancelled, diverged, unsupported, `internal`
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// From a C status; unknown codes become `.internal` so a newer plugin never crashes the host.
    init(status: tl_status, message: String) {
        self.code = Code(rawValue: Int32(status.rawValue)) ?? .internal
        self.message = message.isEmpty ? "backend error \(status.rawValue) without a message" : message
    }

    public var description: String { message }
}
