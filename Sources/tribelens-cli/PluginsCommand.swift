import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli plugins [--json]`: the backends found on the plugin search path, and every
/// file that was refused with the reason.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List model backend plugins, where they were searched for, and files that were refused.")

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    struct Report: Encodable {
        struct Folder: Encodable {
            var directory: String
            var origin: String
            /// The only files looked for there (the executable's folder: the shipping plugins).
            var only: [String]?
        }
        struct Refused: Encodable {
            var path: String
            var reason: String
            var message: String
        }
        var hostABI: String
        var searchPath: [Folder]
        var backends: [BackendInfo]
        var refused: [Refused]
        var notes: [String]
        /// Files checked in a child process by this run (new or changed since their last check).
        var probed: [String]

        enum CodingKeys: String, CodingKey {
            case backends, refused, notes, probed
            case hostABI = "host_abi", searchPath = "search_path"
        }
    }

    func run() throws {
        let catalog = PluginHost().discover()
        let report = Report(
            hostABI: "\(PluginABI.hostMajor).\(PluginABI.hostMinor)",
            searchPath: catalog.searched.map { .init(directory: $0.directory.path, origin: $0.origin.rawValue, only: $0.only) },
            backends: catalog.backends.map(\.info),
            refused: catalog.refused.map { .init(path: $0.path, reason: $0.reason.rawValue, message: $0.message) },
            notes: catalog.notes, probed: catalog.probed)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        Console.out("Plugin ABI \(report.hostABI). Searched, in order:")
        for folder in report.searchPath {
            Console.out("  \(folder.directory)  (\(folder.origin)\(folder.only.map { ": only " + $0.joined(separator: ", ") } ?? ""))")
        }
        if report.backends.isEmpty {
            Console.out("No backends found. Put a plugin (.so) in one of these folders or set TRIBELENS_PLUGIN_PATH.")
        } else {
            Console.out("Backends:")
            for info in report.backends {
                Console.out("  \(info.id) \(info.version) — \(info.displayName) (ABI \(info.abiMajor).\(info.abiMinor))")
                if !info.description.isEmpty { Console.out("      \(info.description)") }
                Console.out("      \(info.path ?? "")")
            }
        }
        if !report.refused.isEmpty {
            Console.out("Refused:")
            for refusal in report.refused { Console.out("  \(refusal.message)") }
        }
        for note in report.notes { Console.out("Note: \(note)") }
        if !report.probed.isEmpty {
            Console.out("Checked \(report.probed.count) new or changed plugin file(s) in a separate process first.")
        }
    }
}
