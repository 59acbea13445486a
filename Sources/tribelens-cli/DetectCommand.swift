import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli detect`: the faces in each photo, as text or JSON.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Find faces in photos (files or folders).",
        discussion: "A file that cannot be used is reported on stderr and the rest are still "
            + "processed; the exit status is 1 if any file failed."
    )

    @OptionGroup var detectorOptions: DetectorOptions

    @Flag(help: "Print a JSON list of {file, width, height, faces: [{x, y, w, h, score}]}.")
    var json = false

    @Flag(help: "Print decode and detection times per photo on stderr.")
    var timing = false

    @Argument(help: "Photos, or folders of photos.")
    var photos: [String]

    func run() throws {
        let detector = try detectorOptions.makeDetector()
        var loader = PhotoLoader()
        loader.budget = DetectorMemory.budget(detectorName: detector.name)
        var results: [DetectionReport] = []
        var failures = 0
        let (files, problems) = PhotoFiles.collectReporting(photos.map { URL(fileURLWithPath: FileSystemPath.argument($0)) })
        for problem in problems { Console.error("warning: \(problem)") }
        for url in files {
            do {
                let clock = ContinuousClock()
                var encoded: EncodedPhoto!
                var photo: DecodedPhoto!
                // Decoded at the size the detector works at (JPEG by DCT scaling), or smaller when
                // the photo does not fit the memory budget or the pixel limit.
                let side = FoundFaces.decodeSide(detector)
                let decode = try clock.measure {
                    encoded = try loader.open(url)
                    photo = try loader.decode(encoded, minimumLongSide: side)
                }
                if let warning = photo.warning { Console.error("warning: \(url.displayName): \(warning)") }
                if photo.reduction > DecodeBudget.reduction(keepingLongSide: side, of: encoded.header) {
                    Console.error("note: \(url.displayName): searched at 1/\(photo.reduction) size "
                                  + "(\(photo.image.width)x\(photo.image.height)) to stay within the memory budget")
                }
                var faces: [FaceBox] = []
                let detect = try clock.measure {
                    do { faces = try FaceFinder.faces(in: photo, detector: detector) } catch {
                        throw PhotoError(url, "face detection failed (\(error))")
                    }
                }
                if timing {
                    Console.error("\(url.displayName): decode \(decode.milliseconds) ms, "
                                  + "detect \(detect.milliseconds) ms (\(detector.name))")
                }
                let report = DetectionReport(file: url.displayPath, width: photo.fullWidth, height: photo.fullHeight,
                                             faces: faces.map { DetectionReport.Face($0) })
                if json { results.append(report) } else { Console.out(report.text) }
            } catch {
                failures += 1
                Console.error("error: \(error)")
            }
        }
        if json { Console.out(try DetectionReport.json(results)) }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// One photo's line of `detect` output; the JSON field names are part of the CLI's contract.
struct DetectionReport: Encodable {
    struct Face: Encodable {
        var x, y, w, h: Int
        var score: Double?

        init(_ box: FaceBox) {
            (x, y, w, h, score) = (box.x, box.y, box.width, box.height, box.score)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
            try c.encode(w, forKey: .w)
            try c.encode(h, forKey: .h)
            try c.encode(score, forKey: .score)  // explicit null when the detector gives none
        }
        enum CodingKeys: String, CodingKey { case x, y, w, h, score }
    }

    var file: String
    var width: Int
    var height: Int
    var faces: [Face]

    var text: String {
        let count = faces.count == 1 ? "1 face" : "\(faces.count) faces"
        let lines = faces.map { f in
            "  \(f.x),\(f.y) \(f.w)x\(f.h)" + (f.score.map { String(format: " score %.3f", $0) } ?? "")
        }
        return (["\(file): \(width)x\(height), \(count)"] + lines).joined(separator: "\n")
    }

    static func json(_ reports: [DetectionReport]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(reports), as: UTF8.self)
    }
}
