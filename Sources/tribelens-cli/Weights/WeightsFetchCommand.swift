import ArgumentParser
import FaceKit
import Foundation

extension WeightsCommand {
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download weights with progress and resume, check the checksum (MD5 or SHA-256), install atomically.")

        @Argument(help: "Which weights: \(PretrainedWeights.all.map(\.id).joined(separator: ", ")).")
        var id: String

        @Option(help: "Download from this URL instead of the official one (a mirror, a local copy).")
        var url: String?

        func run() throws {
            guard let weights = PretrainedWeights.named(id) else {
                throw ValidationError("unknown weights '\(id)'; known: \(PretrainedWeights.all.map(\.id).joined(separator: ", "))")
            }
            let source = try url.map { text -> URL in
                guard let u = URL(string: text), u.scheme != nil else { throw ValidationError("not a URL: \(text)") }
                return u
            }
            let fetcher = WeightsFetcher(weights, source: source)
            Console.error("Fetching \(weights.fileName) from \(fetcher.source.absoluteString)")
            do {
                let path = try fetcher.fetch { p in
                    let percent = p.expected > 0 ? 100 * Double(p.received) / Double(p.expected) : 0
                    Console.error(String(format: "  %.1f / %.1f MB (%.0f%%)%@", Double(p.received) / 1e6,
                                         Double(p.expected) / 1e6, percent,
                                         p.resumedFrom > 0 ? " resumed" : ""))
                }
                Console.out(path.path)
            } catch {
                Console.error("error: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
