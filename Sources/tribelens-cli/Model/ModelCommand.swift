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

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List saved models ('*' marks the active one).")
        @Flag(name: .long, help: "Print JSON instead of text.") var json = false

        struct Row: Encodable {
            var name: String
            var active: Bool
            var backend: String?
            var classes: Int?
            var preset: String?
            var testAccuracy: Double?
            var createdAt: Date?
            var problem: String?

            enum CodingKeys: String, CodingKey {
                case name, active, backend, classes, preset, problem
                case testAccuracy = "test_accuracy", createdAt = "created_at"
            }
        }

        func run() throws {
            let store = ModelCommand.store()
            let rows = store.list().map { entry in
                Row(name: entry.name, active: entry.isActive,
                    backend: entry.manifest.map { "\($0.backend.id) \($0.backend.version)" },
                    classes: entry.manifest?.classes.count, preset: entry.manifest?.preset,
                    testAccuracy: entry.manifest?.testMetrics?.accuracy, createdAt: entry.manifest?.createdAt,
                    problem: entry.problem)
            }
            if json { return try ModelCommand.printJSON(rows) }
            if rows.isEmpty {
                Console.out("No saved models in \(store.root.path). Train one with `tribelens-cli train`.")
                return
            }
            for row in rows {
                let mark = row.active ? "*" : " "
                if let problem = row.problem {
                    Console.out("\(mark) \(row.name)  (unreadable: \(problem))")
                    continue
                }
                let accuracy = row.testAccuracy.map { String(format: "  test accuracy %.1f%%", $0 * 100) } ?? ""
                let date = row.createdAt.map { "  \(ISO8601DateFormatter().string(from: $0))" } ?? ""
                Console.out("\(mark) \(row.name)  \(row.backend ?? "?")  \(row.classes ?? 0) classes  \(row.preset ?? "?")\(accuracy)\(date)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a model's settings, history and test metrics.")
        @Argument(help: "The model's name.") var name: String
        @Flag(name: .long, help: "Print model.json as JSON.") var json = false

        func run() throws {
            let store = ModelCommand.store()
            let manifest = try ModelCommand.attempt { try store.manifest(of: name) }
            if json { return try ModelCommand.printJSON(manifest) }
            Console.out("model:        \(name)\(store.activeName() == name ? " (active)" : "")")
            Console.out("folder:       \(store.directory(of: name).path)")
            Console.out("backend:      \(manifest.backend.id) \(manifest.backend.version) (plugin ABI \(manifest.backend.abiMajor).\(manifest.backend.abiMinor))")
            Console.out("roster:       \(manifest.roster), \(manifest.classes.count) classes: \(manifest.classes.joined(separator: ", "))")
            Console.out("preset:       \(manifest.preset), input scale \(manifest.inputScale)")
            if !manifest.preprocessing.isEmpty {
                Console.out("preprocess:   \(JSONValue.object(manifest.preprocessing).jsonText)")
            }
            Console.out("training:     \(manifest.training.epochs) epochs max, batch \(manifest.training.batchSize), lr \(manifest.training.learningRate), seed \(manifest.training.seed)")
            Console.out("hyper-params: \(JSONValue.object(manifest.hyperParameters).jsonText)")
            Console.out("dataset:      \(manifest.datasetFingerprint)")
            Console.out("created:      \(ISO8601DateFormatter().string(from: manifest.createdAt))")
            Console.out("stopped:      \(manifest.stop)")
            for record in manifest.history { Console.out("  " + record.line(of: manifest.training.epochs)) }
            if let metrics = manifest.testMetrics {
                Console.out("test metrics:")
                Console.out(metrics.text().split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a saved model.")
        @Argument(help: "The model's name.") var name: String

        func run() throws {
            try ModelCommand.attempt { try ModelCommand.store().delete(name: name) }
            Console.out("Deleted model \(name).")
        }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a model the default for `predict` and the app.")
        @Argument(help: "The model's name.") var name: String

        func run() throws {
            try ModelCommand.attempt { try ModelCommand.store().activate(name: name) }
            Console.out("Model \(name) is now active.")
        }
    }
}
