import Dispatch
import FaceKit
import Foundation

/// The training panel's heavy work, off the GTK thread on one serial queue: plugin discovery,
/// face extraction, dataset build, training, saving, weights download. Every result comes back
/// through `MainLoop.post`. Only FaceKit is called here; nothing touches GTK.
final class TrainingWorker: Sendable {
    private let queue = DispatchQueue(label: "io.github.tribelens.training", qos: .userInitiated)
    let storage: DatasetStorage
    let store: ModelStore
    /// The panel's dataset: rebuilt by every run, so the curation store stays the only record
    /// of the user's review.
    static let datasetName = "training-panel"

    init(storage: DatasetStorage = .standard, store: ModelStore = .standard()) {
        self.storage = storage
        self.store = store
    }

    /// The trained model between the end of a run and Save. BackendModel is not Sendable; it is
    /// only ever used on the worker's serial queue.
    final class TrainedModel: @unchecked Sendable {
        fileprivate let model: any BackendModel
        fileprivate init(_ model: any BackendModel) { self.model = model }
    }

    struct RunOutcome: Sendable {
        var history: [EpochRecord]
        var stop: TrainingStop
        var weightsEpoch: Int
        /// nil when cancelled or diverged: nothing to save.
        var manifest: ModelManifest?
        var model: TrainedModel?
        var dataset: DatasetManifest
        /// The photo folder as the run's dataset build read it.
        var folder: PhotoFolderSnapshot?
    }

    struct RunRequest: Sendable {
        var photoRoot: URL
        var roster: Roster
        var preset: TrainingPreset
        var backendID: String
        var options: TrainingOptions
    }

    func discover(done: @escaping @MainActor @Sendable (PluginHost.Catalog) -> Void) {
        queue.async {
            let catalog = PluginHost().discover()
            MainLoop.post { done(catalog) }
        }
    }

    /// What Find Faces ended with: the faces (and the folder as it was when they were searched),
    /// or folders the roster does not know, found before any face was searched.
    enum AnalysisOutcome: Sendable {
        /// `detector`: the face source's cache key, for telling later whether the faces are stale.
        case found(DatasetBuilder.Analysis, folder: PhotoFolderSnapshot?, detector: String)
        case mismatch(RosterMismatch)
    }

    /// Finds the faces under `photoRoot` (cached per photo) and applies the curation store. Stops
    /// first, without searching, when a sub-folder matches no member and `allowUnmatched` is
    /// false; `cancellation` stops the search (`ExtractionCancelled`).
    func analyse(photoRoot: URL, roster: Roster, preset: TrainingPreset, allowUnmatched: Bool, cancellation: CancellationFlag,
                 progress: @escaping @MainActor @Sendable (Int, Int) -> Void,
                 done: @escaping @MainActor @Sendable (Result<AnalysisOutcome, Error>) -> Void) {
        let builder = Self.builder(roster: roster, storage: storage, preset: preset)
        let detector = builder.source.cacheKey
        queue.async {
            let throttle = ProgressThrottle()
            let result = Result { () throws -> AnalysisOutcome in
                if !allowUnmatched, let mismatch = RosterMismatch(try PhotoImport.scan(root: photoRoot, roster: roster)) {
                    return .mismatch(mismatch)
                }
                // Before the search: a photo changed while it runs makes the faces stale, not fresh.
                let folder = PhotoFolderSnapshot.take(root: photoRoot)
                let analysis = try builder.analyse(photoRoot: photoRoot, progress: { done, total in
                    if throttle.due(done == total) { MainLoop.post { progress(done, total) } }
                }, isCancelled: { cancellation.isCancelled })
                return .found(analysis, folder: folder, detector: detector)
            }
            MainLoop.post { done(result) }
        }
    }

    /// The photo folder as it is now (stat calls only) and the face source Find Faces would use
    /// now (YuNet once its model is installed), off the GTK thread and off the worker's queue, so
    /// a training run never delays it.
    func currentInputs(photoRoot: URL, roster: Roster, preset: TrainingPreset,
                       done: @escaping @MainActor @Sendable (PhotoFolderSnapshot?, String) -> Void) {
        let storage = self.storage
        DispatchQueue.global(qos: .utility).async {
            let snapshot = PhotoFolderSnapshot.take(root: photoRoot)
            let detector = Self.builder(roster: roster, storage: storage, preset: preset).source.cacheKey
            MainLoop.post { done(snapshot, detector) }
        }
    }

    /// The photo root's visible sub-folders, sorted: the members of a roster made from them.
    func folderNames(photoRoot: URL, done: @escaping @MainActor @Sendable ([String]) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            let names = PhotoFolderSnapshot.take(root: photoRoot)?.folders ?? []
            MainLoop.post { done(names) }
        }
    }

    /// Builds the dataset (with the user's decisions), trains, and evaluates on the test part.
    /// Nothing is saved: `save` does that once the user has named the model.
    func train(_ request: RunRequest, cancellation: CancellationFlag,
               extraction: @escaping @MainActor @Sendable (Int, Int) -> Void,
               events: @escaping @MainActor @Sendable (TrainingEvent) -> Void,
               done: @escaping @MainActor @Sendable (Result<RunOutcome, Error>) -> Void) {
        let storage = self.storage
        queue.async {
            let throttle = ProgressThrottle()
            let result = Result { () throws -> RunOutcome in
                guard let backend = PluginHost().discover().backend(id: request.backendID) else {
                    throw TrainingPlan.Problem("the backend \(request.backendID) is no longer there; reopen the panel")
                }
                var builder = Self.builder(roster: request.roster, storage: storage, preset: request.preset)
                builder.seed = request.options.seed
                let folder = PhotoFolderSnapshot.take(root: request.photoRoot)
                let (dataset, _) = try builder.build(photoRoot: request.photoRoot, name: Self.datasetName, progress: { done, total in
                    if throttle.due(done == total) { MainLoop.post { extraction(done, total) } }
                })
                var plan = try TrainingPlan.make(dataset: dataset, backend: backend.info, modelName: "unsaved",
                                                 options: request.options)
                try plan.isolateWeights()
                let (training, validation, test) = try plan.samples(of: dataset, storage: storage)
                let outcome = try TrainingJob.run(backend: backend, request: plan.request, training: training,
                                                  validation: validation, test: test, store: nil,
                                                  cancellation: cancellation) { event in
                    // Batch events come hundreds of times a second; the bar needs a few.
                    if case .batch(_, let progress) = event, !throttle.due(progress.batchesDone == progress.batchesTotal) { return }
                    MainLoop.post { events(event) }
                }
                return RunOutcome(history: outcome.result.history, stop: outcome.result.stop,
                                  weightsEpoch: outcome.result.weightsEpoch, manifest: outcome.manifest,
                                  model: outcome.manifest == nil ? nil : TrainedModel(outcome.result.model), dataset: dataset,
                                  folder: folder)
            }
            MainLoop.post { done(result) }
        }
    }

    /// Saves the trained model as `name` (atomically; an existing model of that name is
    /// replaced only once the new one is complete) and makes it active when asked.
    func save(_ model: TrainedModel, manifest: ModelManifest, name: String, activate: Bool,
              done: @escaping @MainActor @Sendable (Result<String, Error>) -> Void) {
        let store = self.store
        queue.async {
            let result = Result { () throws -> String in
                try store.save(name: name, manifest: manifest, model: model.model)
                if activate { try store.activate(name: name) }
                return name
            }
            MainLoop.post { done(result) }
        }
    }

    /// Downloads pretrained weights (resuming a partial download) into our own folder.
    func fetchWeights(_ weights: PretrainedWeights,
                      progress: @escaping @MainActor @Sendable (Int64, Int64) -> Void,
                      done: @escaping @MainActor @Sendable (Result<URL, Error>) -> Void) {
        DispatchQueue.global(qos: .utility).async {
            let throttle = ProgressThrottle()
            let result = Result { () throws -> URL in
                try WeightsFetcher(weights, source: Self.mirror(for: weights)).fetch { p in
                    if throttle.due(p.received == p.expected) { MainLoop.post { progress(p.received, p.expected) } }
                }
            }
            MainLoop.post { done(result) }
        }
    }

    /// `$TRIBELENS_WEIGHTS_MIRROR` (a base URL: the file's name is appended), like
    /// `tribelens-cli weights fetch --url`: a mirror where the publisher's server cannot be
    /// reached (the GUI tests point it at a loopback server that has nothing).
    static func mirror(for weights: PretrainedWeights) -> URL? {
        guard let base = ProcessInfo.processInfo.environment["TRIBELENS_WEIGHTS_MIRROR"], !base.isEmpty,
              let url = URL(string: base) else { return nil }
        return url.appendingPathComponent(weights.fileName)
    }

    // MARK: Curation

    /// The Review page's queue and the crops it shows (64x64 RGB, 12 kB each: a thousand crops
    /// are 12 MB, and reading them once here spares the grid any file access).
    struct CurationBuild: Sendable {
        var queue: CurationQueue
        var crops: [CropID: RGBImage]
    }

    /// Builds the curation queue from `analysis` and the user's decisions in `store`, reading
    /// the crops from the face cache that `analyse` filled. Runs after an `analyse` queued before
    /// it (same serial queue), so it never sees a half-written cache.
    func buildCuration(analysis: DatasetBuilder.Analysis, store: CurationStore, roster: Roster, preset: TrainingPreset,
                       done: @escaping @MainActor @Sendable (CurationBuild) -> Void) {
        let builder = Self.builder(roster: roster, storage: storage, preset: preset)
        queue.async {
            let extractor = FaceExtractor(source: builder.source, storage: builder.storage, workers: 1)
            var crops: [CropID: RGBImage] = [:]
            let curation = CurationQueue(analysis: analysis, store: store, nearDuplicateDistance: builder.nearDuplicateDistance,
                                         tinyFaceSide: builder.tinyFaceSide, roster: roster) { faces in
                guard let images = try? extractor.crops(of: faces) else { return nil }
                for (box, image) in zip(faces.faces, images) { crops[CropID(photoHash: faces.contentHash, box: box)] = image }
                return images
            }
            let build = CurationBuild(queue: curation, crops: crops)
            MainLoop.post { done(build) }
        }
    }

    /// The dataset pipeline's preset of the same name (detector, duplicates, validation split).
    static func datasetPreset(_ preset: TrainingPreset) -> DatasetPreset {
        preset == .original ? .original : .recommended
    }

    /// The panel's dataset pipeline: the write-up's Haar for `original`; for `recommended`
    /// YuNet when its model is installed (its faces come with the landmarks face embeddings
    /// need, and it finds more of them), else Haar `default`.
    static func builder(roster: Roster, storage: DatasetStorage, preset: TrainingPreset) -> DatasetBuilder {
        let datasetPreset = datasetPreset(preset)
        let yunet = datasetPreset == .recommended ? YuNetModelLocator.find() : nil
        return DatasetBuilder(roster: roster, storage: storage, preset: datasetPreset, source: yunet.map { .yunet(modelPath: $0) })
    }
}

/// Lets through at most one progress report per 100 ms, and always the last one.
private final class ProgressThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var last = Date.distantPast

    func due(_ final: Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard final || now.timeIntervalSince(last) >= 0.1 else { return false }
        last = now
        return true
    }
}
