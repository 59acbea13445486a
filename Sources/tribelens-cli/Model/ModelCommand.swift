import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli model list|show|delete|activate`: the saved models under
/// `$XDG_DATA_HOME/tribelens/models/`.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List, show, delete or activate saved models.",
        subcommands: [List.self, Show.self, Delete.self, Activate.self])

    /// A one-line error; ArgumentParser prints "Error: <message>" and exits non-zero.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func store() -> ModelStore { ModelStore.standard() }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        Console.out(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Runs a store operation, turning its error into the CLI's one-line message.
    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw Failure(description: "\(error)") }
    }
}
