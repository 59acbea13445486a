/// A settings file that cannot be read or saved; the message is one line for the user.
public struct SettingsError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
