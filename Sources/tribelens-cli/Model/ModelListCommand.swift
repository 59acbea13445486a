import ArgumentParser
import FaceKit
import Foundation

extension ModelCommand {
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
}
