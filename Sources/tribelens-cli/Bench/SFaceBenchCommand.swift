import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli bench sface --dataset NAME`: the face-embedding backend's speed on a real
/// dataset (built with YuNet): SFace embeddings per second on all cores, a whole training run on
/// 5,000 cached embeddings, and one photo of five faces from decoded pixels to names.
/// `bench/sface.sh` runs it next to the dlib peer on the same faces.
struct SFaceBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sface", abstract: "Time the sface backend: embeddings, training on cached embeddings, a 5-face photo.")

    @Option(help: "A dataset built with --detector yunet (see `tribelens-cli dataset list`).") var dataset: String
    @Option(name: .customLong("train-samples"), help: "Training images for the cached-embedding run.") var trainSamples = 5000
    @Option(help: "Timed repeats of the 5-face photo.") var repeats = 10
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let storage = DatasetStorage.standard
        let manifest = try DatasetStore(storage: storage).load(name: dataset)
        guard let backend = PluginHost().discover().backend(id: "sface") else { throw ValidationError("the sface plugin is not installed") }
        let hyper = try BackendResources.resolveModelFiles(try TrainingJob.hyperParameters(
            backend: backend.info, preset: .recommended, user: [:]))
        let spec = backend.info.input

        // 1. Embeddings per second: every plain crop through the network, 32 at a time.
        let plain = try manifest.tensors(storage: storage, augment: false, spec: spec)
        let all = [plain.train, plain.validation, plain.test]
        let pixels = all.flatMap(\.pixels), count = all.reduce(0) { $0 + $1.count }
        let model = try backend.makeModel(ModelConfiguration(classCount: manifest.classes.count, inputScale: 1,
                                                             hyperParametersJSON: JSONValue.object(hyper).jsonText))
        _ = try model.predict(pixels: Array(pixels[0..<spec.bytes]), count: 1)  // network set up
        let embedSeconds = try seconds {
            for start in stride(from: 0, to: count, by: 32) {
                let n = min(32, count - start)
                _ = try model.predict(pixels: Array(pixels[start * spec.bytes ..< (start + n) * spec.bytes]), count: n)
            }
        }

        // 2. A whole training run (recommended schedule, early stopping) on cached embeddings.
        let augmented = try manifest.tensors(storage: storage, augment: true, spec: spec)
        let training = try augmented.train.samples().subset(Array(0..<min(trainSamples, augmented.train.count)))
        let validation = try augmented.validation.samples()
        let request = TrainingRequest(modelName: "bench", preset: .recommended, hyperParameters: hyper, classes: manifest.classes,
                                      roster: manifest.roster.id, memberGroups: manifest.memberGroups, datasetFingerprint: manifest.fingerprint,
                                      preprocessing: ["detector": .string(manifest.detector)])
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("tribelens-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        setenv("XDG_CACHE_HOME", cache.path, 1)
        _ = try TrainingJob.run(backend: backend, request: request, training: training, validation: validation, test: nil, store: nil)
        var outcome: TrainingJob.Outcome?
        let trainSeconds = try seconds {
            outcome = try TrainingJob.run(backend: backend, request: request, training: training, validation: validation, test: nil, store: nil)
        }
        guard let trained = outcome?.manifest else { throw ValidationError("the training run stopped early: \(outcome!.result.stop)") }

        // 3. Five faces side by side, decoded already: detection, alignment, embeddings, names.
        let faces = manifest.samples(in: .test).prefix(5)
        let loader = PhotoLoader()
        let root = URL(fileURLWithPath: manifest.photoRoot)
        let photos = try faces.map { try loader.load(root.appendingPathComponent($0.photo)) }
        let photo = Self.sideBySide(photos)
        let predictor = try FacePredictor(manifest: trained, model: outcome!.result.model, input: spec)
        let detector = try predictor.makeDetector()
        var found = 0
        _ = try PhotoPrediction.predict(image: photo, detector: detector, predictor: predictor)
        var photoTimes: [Double] = []
        for _ in 0..<max(1, repeats) {
            photoTimes.append(try seconds { found = try PhotoPrediction.predict(image: photo, detector: detector, predictor: predictor).count } * 1000)
        }
        let photoMs = photoTimes.sorted()[photoTimes.count / 2]

        let cpu = Self.cpuModel()
        let perSecond = Double(count) / embedSeconds
        if json {
            print(#"{"bench":"sface","cpu":"\#(cpu)","crops":\#(count),"embeddings_per_second":\#(Self.fmt(perSecond)),"train_samples":\#(training.count),"train_seconds":\#(Self.fmt(trainSeconds)),"train_epochs":\#(outcome!.result.history.count),"photo_pixels":"\#(photo.width)x\#(photo.height)","photo_faces":\#(found),"photo_ms_median":\#(Self.fmt(photoMs))}"#)
        } else {
            print("CPU \(cpu)")
            print("embeddings: \(count) aligned crops in \(Self.fmt(embedSeconds)) s = \(Self.fmt(perSecond)) per second")
            print("training on \(training.count) cached embeddings: \(Self.fmt(trainSeconds)) s, \(outcome!.result.history.count) epochs")
            print("photo \(photo.width)x\(photo.height), \(found) faces, decoded pixels to names: median \(Self.fmt(photoMs)) ms of \(photoTimes.count)")
        }
    }

    private func seconds(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Photos side by side on one canvas (black below the shorter ones).
    static func sideBySide(_ photos: [RGBImage]) -> RGBImage {
        let width = photos.reduce(0) { $0 + $1.width }, height = photos.map(\.height).max() ?? 0
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var x0 = 0
        for photo in photos {
            for y in 0..<photo.height {
                let src = y * photo.width * 3, dst = (y * width + x0) * 3
                pixels.replaceSubrange(dst ..< dst + photo.width * 3, with: photo.pixels[src ..< src + photo.width * 3])
            }
            x0 += photo.width
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func cpuModel() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.3f", v) }
}
