/// A one-line, user-facing model store failure.
public struct ModelStoreError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
