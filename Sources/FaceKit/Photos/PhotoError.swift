import Foundation

/// Why a photo could not be used, as one line a person can act on: "<file name>: <reason>".
public struct PhotoError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: URL
    public let reason: String

    public init(_ file: URL, _ reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file.displayName): \(reason)" }
}
