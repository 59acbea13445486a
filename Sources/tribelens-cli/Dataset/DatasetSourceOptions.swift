import ArgumentParser
import FaceKit
import Foundation

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
