/// Why a file was not accepted as a plugin. Every message names the file; version mismatches
/// name both versions.
public struct PluginLoadError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Reason: String, Sendable, Codable {
        case unreadable, notELF, dlopenFailed, missingSymbol, nullTable, wrongMajor, shortTable, missingFunction,
             badMetadata, duplicateID
        // Found by the probe in a child process before the host loads anything (docs/reliability.md).
        case notRegularFile, notAFunction, crashed, timedOut, outOfMemory, exitedWhileLoading, writesToStdout,
             probeFailed
    }

    public var path: String
    public var reason: Reason
    public var message: String

    public var description: String { message }
}
