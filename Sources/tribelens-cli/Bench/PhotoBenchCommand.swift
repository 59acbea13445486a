import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli bench photo --photo FILE [--folder DIR] [--large-folder DIR]`: a photo file
/// from drop to boxes and to names inside one warm process (the model, its network and the
/// detector loaded once, a warm-up run, then the median of `--repeats`), and folders in photos/s
/// on both cores. Each photo goes the way `tribelens-cli detect` and `predict` take it
/// (`FoundFaces`: decoded at the detector's size, crops from that decode or full-size regions; the model's
/// detector; all faces of a photo in one batch to the model). `bench/photo.sh` runs it next to the same pipeline in Python's OpenCV.
struct PhotoBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photo", abstract: "Time a photo file to boxes and to names in a warm process, and folders in photos/s.")

    @Option(help: "The photo to time (a 12 MP JPEG in bench/photo.sh).") var photo: String
    @Option(help: "A folder of photos timed in photos/s (bench/photo.sh: 1,000 small photos).") var folder: String?
    @Option(name: .customLong("large-folder"), help: "A second folder timed in photos/s (bench/photo.sh: 12 MP photos).") var largeFolder: String?
    @Option(help: "The saved model (default: the active one).") var model: String?
    @Option(help: "Timed runs of the photo after one warm-up.") var repeats = 10
    @Option(help: "Photos analysed at once in the folder runs.") var workers = 2
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        guard (1...16).contains(workers) else { throw ValidationError("--workers must be between 1 and 16") }
    }

    func run() throws {
        let predictor: FacePredictor
        do {
            predictor = try FacePredictor(store: ModelStore.standard(), name: model, backends: PluginHost().discover().backends)
        } catch {
            throw ModelCommand.Failure(description: "\(error)")
        }
        let url = URL(fileURLWithPath: FileSystemPath.argument(photo))
        let lanes = try (0..<workers).map { _ in try Lane(predictor: predictor) }
        let lane = lanes[0]
        let lock = NSLock()

        // Warm-up: the network is opened on first use, page cache, allocator.
        _ = try lane.names(url, lock: lock)
        var boxTimes: [Double] = [], nameTimes: [Double] = []
        var boxes: [FaceBox] = [], named: [(box: FaceBox, label: FaceLabel)] = []
        for _ in 0..<repeats {
            boxTimes.append(try Self.milliseconds { boxes = try lane.boxes(url) })
            nameTimes.append(try Self.milliseconds { named = try lane.names(url, lock: lock) })
        }
        var report: [String: Any] = [
            "bench": "photo", "cpu": SFaceBenchCommand.cpuModel(), "cores": ProcessInfo.processInfo.activeProcessorCount,
            "photo": url.lastPathComponent, "detector": lane.detector.name, "backend": predictor.manifest.backend.id,
            "repeats": repeats, "faces": boxes.count, "named_faces": named.filter { $0.label.member != nil }.count,
            "boxes_ms_median": Self.median(boxTimes), "names_ms_median": Self.median(nameTimes),
            "boxes": boxes.map { [$0.x, $0.y, $0.width, $0.height] },
            "names": named.map { $0.label.member ?? "unknown" },
        ]
        for (key, folder) in [("folder", folder), ("large_folder", largeFolder)] {
            guard let folder else { continue }
            let files = PhotoFiles.collect([URL(fileURLWithPath: FileSystemPath.argument(folder))])
            guard !files.isEmpty else { throw ValidationError("\(folder): no photos found") }
            let toBoxes = try Self.throughput(files, lanes: lanes) { lane, file in _ = try lane.boxes(file) }
            let toNames = try Self.throughput(files, lanes: lanes) { lane, file in _ = try lane.names(file, lock: lock) }
            report[key] = ["photos": files.count, "failed": toBoxes.failed, "boxes_photos_per_s": toBoxes.perSecond,
                           "names_photos_per_s": toNames.perSecond, "workers": workers]
        }
        report["peak_rss_mib"] = BenchCommand.peakResidentMiB()
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("CPU \(report["cpu"]!), \(report["cores"]!) cores; \(url.lastPathComponent): \(boxes.count) faces (\(lane.detector.name))")
            print("drop to boxes: median \(fmt(Self.median(boxTimes))) ms; drop to names: median \(fmt(Self.median(nameTimes))) ms (\(repeats) runs)")
            for key in ["folder", "large_folder"] {
                guard let f = report[key] as? [String: Any] else { continue }
                print("\(key): \(f["photos"]!) photos, \(fmt(f["boxes_photos_per_s"] as! Double)) photos/s to boxes, "
                      + "\(fmt(f["names_photos_per_s"] as! Double)) photos/s to names (\(workers) at once)")
            }
            print("peak RSS \(fmt(BenchCommand.peakResidentMiB())) MiB")
        }
    }

    /// One worker's detector (YuNet keeps per-input-size state, so each worker has its own).
    /// The model is shared: a plugin model is not thread-safe, so labelling takes `lock`.
    final class Lane: @unchecked Sendable {
        let detector: any FaceDetector
        let predictor: FacePredictor
        var loader = PhotoLoader()

        init(predictor: FacePredictor) throws {
            self.predictor = predictor
            detector = try predictor.makeDetector()
            loader.budget = DetectorMemory.budget(detectorName: detector.name)
        }

        /// As `tribelens-cli detect` does: the photo decoded at the detector's working size,
        /// the boxes in the file's pixels (`FoundFaces`).
        func boxes(_ url: URL) throws -> [FaceBox] {
            try FoundFaces.find(in: try loader.open(url), loader: loader, detector: detector).faces
        }

        /// As `tribelens-cli predict` does (`FoundFaces`, `FaceCrops`), with the
        /// labelling serialised on `lock`.
        func names(_ url: URL, lock: NSLock) throws -> [(box: FaceBox, label: FaceLabel)] {
            let found = try FoundFaces.find(in: try loader.open(url), loader: loader, detector: detector)
            guard !found.faces.isEmpty else { return [] }
            let crops = try FaceCrops.make(predictor.input, faces: found.faces, from: found.pixels)
            lock.lock()
            defer { lock.unlock() }
            let labels = try predictor.labelFaces(pixels: crops, count: found.faces.count)
            return zip(found.faces, labels).map { (box: $0, label: $1) }
        }
    }

    /// Photos per second over `files` with one thread per lane taking the next file; a photo
    /// that fails counts as done (a folder of scraped files has some that do not decode).
    static func throughput(_ files: [URL], lanes: [Lane], _ work: @escaping @Sendable (Lane, URL) throws -> Void) throws
        -> (perSecond: Double, failed: Int) {
        let state = NSLock()
        nonisolated(unsafe) var next = 0, failed = 0
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: lanes.count) { l in
            while true {
                state.lock()
                let i = next
                next += 1
                state.unlock()
                guard i < files.count else { return }
                do { try work(lanes[l], files[i]) } catch {
                    state.lock(); failed += 1; state.unlock()
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (Double(files.count) / seconds, failed)
    }

    static func milliseconds(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    private func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
}
