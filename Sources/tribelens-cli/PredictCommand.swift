import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli predict [--model NAME] [--threshold P] [--json] PHOTO...`: every face of every
/// photo with its member, groups, probability and top-3.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Name the faces in photos with a saved model.",
        discussion: "Faces are found and cropped the way the model's dataset was (model.json's "
            + "preprocessing), unless --detector says otherwise. Within one photo no member is given "
            + "to two faces. A photo that cannot be used is reported on stderr and the rest are still "
            + "processed; the exit status is 1 if any photo failed.")

    @Option(help: "The saved model (default: the active one; see `tribelens-cli model list`).")
    var model: String?

    @Option(help: "Below this probability a face is 'unknown' (0-1).")
    var threshold: Double = 0.5

    @Option(name: .customLong("group-threshold"), help: "An unknown face gets a group when the group's summed probability reaches this (default: --threshold).")
    var groupThreshold: Double?

    @Option(help: "Face detector: \(PredictionDetector.names.joined(separator: ", ")) (default: the model's).")
    var detector: String?

    @Option(name: .customLong("yunet-model"), help: "Path to face_detection_yunet_2022mar.onnx.")
    var yunetModel: String?

    @OptionGroup var faceModels: FaceModelOptions

    @Flag(help: "Print JSON: per photo {file, faces: [{box, member, groups, probability, top, group}]}.")
    var json = false

    @Argument(help: "Photos, or folders of photos.")
    var photos: [String]

    struct PhotoReport: Encodable {
        struct Face: Encodable {
            struct Box: Encodable { var x, y, w, h: Int }
            var box: Box
            var member: String?
            var groups: [String]
            var probability: Double
            var top: [FaceLabel.Candidate]
            var group: String?
            /// Similarity to the best member (models with an open-set threshold).
            var similarity: Double?
        }
        var file: String
        var faces: [Face]
        /// The model's open-set threshold: faces below it are unknown.
        var unknownBelow: Double?

        enum CodingKeys: String, CodingKey { case file, faces, unknownBelow = "unknown_below" }
    }

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        if let groupThreshold, !(0...1).contains(groupThreshold) {
            throw ValidationError("--group-threshold must be between 0 and 1")
        }
    }

    func run() throws {
        let catalog = PluginHost().discover()
        let policy = PredictionPolicy(threshold: threshold, groupThreshold: groupThreshold)
        let predictor: FacePredictor
        do {
            predictor = try FacePredictor(store: ModelStore.standard(), name: model, backends: catalog.backends, policy: policy)
        } catch {
            throw ModelCommand.Failure(description: "\(error)")
        }
        let faceDetector: any FaceDetector
        do {
            let yunet = try yunetModel.map { try faceModels.resolve(.yunet, path: $0).path }
            faceDetector = try predictor.makeDetector(named: detector, yunetModel: yunet, allowUnverified: faceModels.allowUnverifiedModel)
        } catch {
            throw ModelCommand.Failure(description: "\(error)")
        }
        var loader = PhotoLoader()
        loader.budget = DetectorMemory.budget(detectorName: faceDetector.name)
        var reports: [PhotoReport] = []
        var failures = 0
        let (files, problems) = PhotoFiles.collectReporting(photos.map { URL(fileURLWithPath: FileSystemPath.argument($0)) })
        for problem in problems { Console.error("warning: \(problem)") }
        for url in files {
            do {
                // Searched at the detector's size (smaller when the memory budget says so); the
                // crops come from the faces' regions at full size.
                let found = try FoundFaces.find(in: try loader.open(url), loader: loader, detector: faceDetector)
                if let warning = found.decoded.warning { Console.error("warning: \(url.displayName): \(warning)") }
                let faces = try PhotoPrediction.predict(found: found, predictor: predictor)
                let report = PhotoReport(file: url.displayPath, faces: faces.map {
                    .init(box: .init(x: $0.box.x, y: $0.box.y, w: $0.box.width, h: $0.box.height), member: $0.label.member,
                          groups: $0.label.groups, probability: $0.label.probability, top: $0.label.top, group: $0.label.group,
                          similarity: $0.label.similarity)
                }, unknownBelow: predictor.manifest.openSet?.similarity)
                if json { reports.append(report) } else { Console.out(Self.text(report)) }
            } catch let error as PhotoError {
                failures += 1
                Console.error("error: \(error)")  // names the file already
            } catch {
                failures += 1
                Console.error("error: \(url.displayPath): \(error)")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(reports), as: UTF8.self))
        }
        if failures > 0 { throw ExitCode(1) }
    }

    static func percent(_ p: Double) -> String { String(format: "%.0f%%", p * 100) }

    /// "TAKAHIRO (EXILE) 87%", "unknown, probably EXILE 90%", or "unknown".
    static func text(_ report: PhotoReport) -> String {
        let count = report.faces.count == 1 ? "1 face" : "\(report.faces.count) faces"
        let lines = report.faces.map { face -> String in
            let box = "\(face.box.x),\(face.box.y) \(face.box.w)x\(face.box.h)"
            let answer: String
            if let member = face.member {
                let groups = face.groups.isEmpty ? "" : " (\(face.groups.joined(separator: ", ")))"
                answer = "\(member)\(groups) \(percent(face.probability))"
            } else if let group = face.group {
                answer = "unknown, probably \(group) \(percent(face.probability))"
            } else {
                answer = "unknown"
            }
            let top = face.top.map { "\($0.member) \(percent($0.probability))" }.joined(separator: ", ")
            return "  \(box)  \(answer)  [top: \(top)]"
        }
        return (["\(report.file): \(count)"] + lines).joined(separator: "\n")
    }
}
