import ArgumentParser
import FaceKit
import Foundation

extension DatasetCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report counts, unusable files, duplicates, tiny faces and imbalance.")

        @Option(help: "Photo root to check (one sub-folder per member).")
        var photos: String?

        @Option(help: "Check the photos of a built dataset, with its roster and preset.")
        var name: String?

        @OptionGroup var source: DatasetSourceOptions

        @Flag(help: "Print the report as JSON.")
        var json = false

        func validate() throws {
            guard (photos == nil) != (name == nil) else { throw ValidationError("give either --photos DIR or --name NAME") }
        }

        func run() throws {
            let storage = DatasetStorage.standard
            var builder: DatasetBuilder
            let root: URL
            if let name {
                let manifest = try DatasetStore(storage: storage).load(name: name)
                let faceSource: FaceSource
                switch manifest.faceSource {
                case FaceSource.alreadyCropped.cacheKey: faceSource = .alreadyCropped
                case FaceSource.haar(.original).cacheKey: faceSource = .haar(.original)
                case FaceSource.haar(.default).cacheKey: faceSource = .haar(.default)
                default: faceSource = try source.faceSource(for: manifest.preset)
                }
                builder = DatasetBuilder(roster: manifest.roster, storage: storage, preset: manifest.preset, source: faceSource)
                builder.minimumPerMember = source.minimumPerMember
                if let workers = source.workers { builder.workers = max(1, workers) }
                root = URL(fileURLWithPath: manifest.photoRoot)
                guard FileManager.default.fileExists(atPath: root.path) else {
                    throw DatasetError("dataset \"\(name)\" was built from \(root.path), which is gone; "
                        + "check the photos with --photos DIR, or build the dataset again")
                }
            } else {
                builder = try source.builder(storage: storage)
                root = URL(fileURLWithPath: photos!)
            }
            let progress = StderrProgress("Checking photos")
            let analysis = try builder.analyse(photoRoot: root) { progress($0, $1) }
            if json { try printJSON(analysis.report) } else { Console.out(analysis.report.text) }
        }
    }
}
