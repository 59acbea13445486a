import ArgumentParser
import FaceKit
import Foundation

extension ModelCommand {
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
}
