import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli dataset build|check|list`: the training panel's data half, scriptable.
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Build training sets from photo folders (one folder per member) and check their health.",
        subcommands: [Build.self, Check.self, List.self, Curate.self, DatasetExportCommand.self])
}

/// Options shared by `build` and `check --photos`.
struct DatasetSourceOptions: ParsableArguments {
    @Option(help: "Roster id (shipped or in $XDG_DATA_HOME/tribelens/rosters) or path to a roster JSON file.")
    var roster = "ldh"

    @Option(help: "original (the write-up: Haar with its parameters, every crop kept) or recommended.")
    var preset = "recommended"

    @Flag(help: "The photos are already face crops: use each whole photo instead of detecting faces.")
    var alreadyCropped = false

    @Option(help: "Face detector: haar (the preset's Haar parameters) or yunet.")
    var detector = "haar"

    @Option(help: "YuNet model file (face_detection_yunet_2022mar.onnx), for --detector yunet.")
    var yunetModel: String?

    @OptionGroup var faceModels: FaceModelOptions

    @Option(help: "Worker threads for face extraction (default: all cores).")
    var workers: Int?

    @Option(help: "Members with fewer usable crops are reported.")
    var minimumPerMember = 20

    func parsedPreset() throws -> DatasetPreset {
        guard let preset = DatasetPreset(rawValue: preset) else {
            throw ValidationError("unknown preset \"\(preset)\" (use original or recommended)")
        }
        return preset
    }

    func faceSource(for preset: DatasetPreset) throws -> FaceSource {
        if alreadyCropped {
            // With YuNet at hand its landmarks let backends that take aligned faces use the crops.
            if yunetModel == nil && YuNetModelLocator.find() == nil { return .alreadyCropped }
            return .alreadyCropped(landmarksFrom: try faceModels.resolve(.yunet, path: yunetModel).path)
        }
        switch detector {
        case "haar": return .haar(preset == .original ? .original : .default)
        case "yunet":
            // Checked by SHA-256 before OpenCV reads it; the message says where it looked.
            return .yunet(modelPath: try faceModels.resolve(.yunet, path: yunetModel).path)
        default: throw ValidationError("unknown detector \"\(detector)\" (use haar or yunet)")
        }
    }

    func builder(storage: DatasetStorage) throws -> DatasetBuilder {
        let preset = try parsedPreset()
        let rosterValue = try RosterLoader.load(idOrPath: roster, storage: storage)
        var builder = DatasetBuilder(roster: rosterValue, storage: storage, preset: preset, source: try faceSource(for: preset))
        if let workers { builder.workers = max(1, workers) }
        builder.minimumPerMember = minimumPerMember
        return builder
    }
}

/// Progress on stderr, at most ~10 updates a second, so stdout stays clean for --json.
final class StderrProgress: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var last = Date.distantPast
    /// On a terminal the line redraws in place; into a file or pipe only the last count is written.
    private let interactive = isatty(2) != 0

    init(_ label: String) { self.label = label }

    func callAsFunction(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard done == total || (interactive && now.timeIntervalSince(last) > 0.1) else { return }
        last = now
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) photos\(done == total ? "\n" : "")".utf8))
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    FileHandle.standardOutput.write(try encoder.encode(value))
    FileHandle.standardOutput.write(Data("\n".utf8))
}


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

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the datasets built so far.")

        @Flag(help: "Print the list as JSON.")
        var json = false

        func run() throws {
            let datasets = DatasetStore(storage: DatasetStorage.standard).list().map(DatasetSummary.init)
            if json { try printJSON(datasets); return }
            if datasets.isEmpty { Console.out("No datasets yet (tribelens-cli dataset build --photos DIR --name NAME)."); return }
            for dataset in datasets { Console.out(dataset.line) }
        }
    }
}

extension DatasetCommand {
    /// Curation without the GUI: reject, accept or re-label the crops of one photo. Decisions are
    /// keyed by the photo's content and the box, so they hold after renames; rebuild to apply.
    struct Curate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject, accept or re-label a face crop of a built dataset (applies at the next build).")

        @Option(help: "The dataset the photo belongs to.")
        var name: String

        @Option(help: "The photo, as the dataset and its reports name it (member-folder/file).")
        var photo: String

        @Option(help: "Which face of the photo (0-based, in the order `--list` shows); default: all.")
        var face: Int?

        @Flag(help: "Reject: wrong person or not a face.")
        var reject = false

        @Flag(help: "Accept a crop held for review.")
        var accept = false

        @Option(help: "Re-label the crop to this member id.")
        var relabel: String?

        @Flag(help: "Forget the decision.")
        var clear = false

        @Flag(help: "Only list the photo's crops and their decisions.")
        var list = false

        func validate() throws {
            let actions = [reject, accept, relabel != nil, clear, list].filter { $0 }.count
            guard actions == 1 else { throw ValidationError("give exactly one of --reject, --accept, --relabel MEMBER, --clear, --list") }
        }

        func run() throws {
            let storage = DatasetStorage.standard
            let manifest = try DatasetStore(storage: storage).load(name: name)
            var crops = manifest.samples.filter { $0.photo == photo }.map { ($0.crop, "in \($0.split.rawValue) as \($0.member)") }
            crops += manifest.excluded.filter { $0.photo == photo }.map { ($0.crop, "excluded: \($0.reason)") }
            crops.sort { ($0.0.y, $0.0.x) < ($1.0.y, $1.0.x) }
            guard !crops.isEmpty else {
                throw DatasetError("dataset \"\(name)\" has no face crop from \(photo) (see `tribelens-cli dataset check --name \(name)`)")
            }
            var store = try CurationStore(storage: storage)
            if list {
                for (index, crop) in crops.enumerated() {
                    let decision = store.decision(for: crop.0).map { " [decision: \($0)]" } ?? ""
                    Console.out("\(index): \(crop.0.x),\(crop.0.y) \(crop.0.width)x\(crop.0.height)  \(crop.1)\(decision)")
                }
                return
            }
            if let face, !crops.indices.contains(face) {
                throw ValidationError("\(photo) has \(crops.count) face crop(s); --face must be 0...\(crops.count - 1)")
            }
            if let relabel, manifest.roster.member(id: relabel) == nil {
                throw ValidationError("no member \"\(relabel)\" in roster \(manifest.roster.id)")
            }
            let decision: CurationStore.Decision? = reject ? .reject : accept ? .accept : relabel.map { .relabel(memberID: $0) }
            let chosen = face.map { [crops[$0]] } ?? crops
            for crop in chosen { store.set(decision, for: crop.0) }
            try store.save()
            Console.out("\(decision.map { "\($0)" } ?? "cleared") for \(chosen.count) crop(s) of \(photo); rebuild the dataset to apply")
        }
    }
}

/// What `build` and `list` print about a dataset.
struct DatasetSummary: Codable {
    var name: String
    var created: Date
    var photoRoot: String
    var roster: String
    var preset: String
    var detector: String
    var seed: UInt64
    var classes: Int
    var crops: Int
    var train: Int
    var validation: Int
    var test: Int
    var augmentedTrain: Int
    var perMember: [String: [String: Int]]

    init(_ m: DatasetManifest) {
        let counts = m.counts
        name = m.name; created = m.created; photoRoot = m.photoRoot; roster = m.roster.id; preset = m.preset.rawValue
        detector = m.detector; seed = m.seed; classes = m.classes.count; crops = m.samples.count
        train = counts.train; validation = counts.validation; test = counts.test; augmentedTrain = counts.augmentedTrain
        var per: [String: [String: Int]] = [:]
        for sample in m.samples { per[sample.member, default: [:]][sample.split.rawValue, default: 0] += 1 }
        perMember = per
    }

    var text: String {
        "Dataset \(name): \(classes) members, \(crops) crops (roster \(roster), preset \(preset), \(detector), seed \(seed))\n"
            + "Split: train \(train) (x9 augmented = \(augmentedTrain)), validation \(validation), test \(test)"
    }

    var line: String {
        "\(name)  \(preset)  \(classes) members  train \(train) (x9 \(augmentedTrain))  val \(validation)  test \(test)  \(photoRoot)"
    }
}

struct BuildOutput: Codable {
    var dataset: DatasetSummary
    var report: HealthReport
}
