import ArgumentParser
import FaceKit
import Foundation

extension DatasetCommand {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract faces, apply curation, split and save a named dataset.")

        @Option(help: "Photo root: one sub-folder per member (read only).")
        var photos: String

        @OptionGroup var source: DatasetSourceOptions

        @Option(help: "Seed of the train/test shuffle.")
        var seed: UInt64 = 0

        @Option(help: "Dataset name (letters, digits, '-', '_', '.').")
        var name: String

        @Flag(help: "Print the dataset summary and health report as JSON.")
        var json = false

        func run() throws {
            let storage = DatasetStorage.standard
            var builder = try source.builder(storage: storage)
            builder.seed = seed
            let progress = StderrProgress("Extracting faces")
            let (manifest, analysis) = try builder.build(photoRoot: URL(fileURLWithPath: photos), name: name) { progress($0, $1) }
            let summary = DatasetSummary(manifest)
            if json {
                try printJSON(BuildOutput(dataset: summary, report: analysis.report))
                return
            }
            Console.out(summary.text)
            let r = analysis.report
            let extraction = analysis.statistics
            Console.out(String(format: "Faces: %d photos in %.1f s (%d from cache), %d crops usable",
                             extraction.photos, extraction.seconds, extraction.fromCache, r.totals.usable))
            Console.out("Health: \(r.unusableFiles.count) unusable files, \(r.severalFaces.count) photos with several faces, "
                      + "\(r.exactDuplicates.count) exact and \(r.nearDuplicates.count) near-duplicate groups, "
                      + "\(r.membersBelowMinimum.count) members below \(r.minimumPerMember)"
                      + " (details: tribelens-cli dataset check --name \(name))")
        }
    }
}

/// `build --json`: the dataset and the health report of its photos.
struct BuildOutput: Codable {
    var dataset: DatasetSummary
    var report: HealthReport
}
