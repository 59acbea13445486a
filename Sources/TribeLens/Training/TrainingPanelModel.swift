import FaceKit
import Foundation

/// The training panel's state, from photo folder to saved model, and the steps between them.
/// No GTK here: the pages show this and call its methods; the work runs in `TrainingWorker`.
@MainActor
final class TrainingPanelModel {
    enum Phase: Equatable {
        case idle
        case extracting(done: Int, total: Int)
        case training
        case stopping
    }

    private(set) var phase: Phase = .idle
    var photoRoot: URL? {
        didSet {
            guard photoRoot != oldValue else { return }
            rosterMismatch = nil
            updateFreshness()
        }
    }
    /// A shipped roster id ("ldh"), one in `$XDG_DATA_HOME/tribelens/rosters`, or a file path.
    var rosterReference = "ldh" {
        didSet {
            guard rosterReference != oldValue else { return }
            rosterMismatch = nil
            updateFreshness()
        }
    }
    var preset: TrainingPreset = .recommended {
        didSet {
            guard preset != oldValue else { return }
            knownDetector = nil  // the detector may differ now: look again
            checkFreshness()
        }
    }
    var backendID: String?
    var options = TrainingOptions(epochs: 50, batchSize: 32, seed: 0, augment: true)

    private(set) var catalog: PluginHost.Catalog?
    private(set) var analysis: DatasetBuilder.Analysis?
    private(set) var analysedRoster: Roster?
    private(set) var progress = TrainingProgress()
    /// The run's history and schedule events, as the live curves show them.
    private(set) var curves = TrainingCurves(plannedEpochs: 0)
    private(set) var outcome: TrainingWorker.RunOutcome?
    /// The name the last outcome was saved under.
    private(set) var savedName: String?

    /// Called after every change.
    var onChange: () -> Void = {}
    /// A one-line message for the user (a toast).
    var onMessage: (String) -> Void = { _ in }

    let worker: TrainingWorker
    private var cancellation: CancellationFlag?
    private var afterStop: [@MainActor () -> Void] = []

    /// Starts where the last panel left off (settings keyfile, [Training]).
    init(worker: TrainingWorker = TrainingWorker(), settings: AppSettings = SettingsStore.shared.settings) {
        self.worker = worker
        photoRoot = settings.trainingPhotoFolder.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let roster = settings.trainingRoster { rosterReference = roster }
        rememberedBackend = settings.trainingBackend
    }

    private let rememberedBackend: String?

    var isBusy: Bool { phase != .idle }
    var isTraining: Bool { phase == .training || phase == .stopping }
    /// A trained model that has not been saved: closing the panel would lose it.
    var hasUnsavedModel: Bool { outcome?.model != nil && savedName == nil }

    /// The face-embedding backends first: they are the ones that name real faces well.
    var backends: [BackendInfo] {
        let all = catalog?.backends.map(\.info) ?? []
        return all.filter { $0.input.kind == .aligned } + all.filter { $0.input.kind != .aligned }
    }
    /// Whether the SFace and YuNet files are installed and checked (the face-models row says).
    var faceModelsInstalled = false
    var selectedBackend: BackendInfo? { backends.first { $0.id == backendID } }

    // MARK: Plugins

    func discoverPlugins() {
        worker.discover { [weak self] catalog in
            guard let self else { return }
            self.catalog = catalog
            // Keep the choice when it is still there; else the last one used, else face
            // embeddings (recommended), else the scratch CNN (the write-up's own).
            if self.backendID.flatMap({ id in catalog.backend(id: id) }) == nil {
                self.backendID = [self.rememberedBackend, "sface", "scratch-cnn"].compactMap { $0 }.first { catalog.backend(id: $0) != nil }
                    ?? catalog.backends.first?.info.id
                self.applyBackendDefaults()
            }
            self.onChange()
        }
    }

    /// The backend's own learning rate (VGG16's 1e-4) unless the user typed one.
    func selectBackend(_ id: String) {
        guard id != backendID else { return }
        backendID = id
        applyBackendDefaults()
        onChange()
    }

    private func applyBackendDefaults() {
        let defaults = selectedBackend.flatMap { try? JSONValue.parseObject($0.defaultHyperParametersJSON) } ?? [:]
        if case .number(let rate)? = defaults["learning_rate"] {
            options.learningRate = rate
        } else {
            options.learningRate = preset.configuration().learningRate
        }
        options.augment = selectedBackend.map(TrainingPlan.augmentsByDefault) ?? true
    }

    // MARK: Faces

    /// Why "Find Faces" cannot run yet, or nil.
    var extractionProblem: String? {
        guard let photoRoot else { return L10n.tr("Choose the folder with one subfolder of photos per member.") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: photoRoot.path, isDirectory: &isFolder), isFolder.boolValue else {
            return L10n.format(L10n.tr("%s is not a folder."), photoRoot.path)
        }
        return nil
    }

    /// Folders of the last Find Faces that match no member of the roster: it stopped before
    /// searching any face (nil once the folder or roster changes, or Find Faces runs again).
    private(set) var rosterMismatch: RosterMismatch?
    /// How many Find Faces have given faces (the panel follows the work to Review after one).
    private(set) var analysisCount = 0
    private var extractionCancellation: CancellationFlag?
    /// Cancel was pressed; the workers finish the photos in hand.
    var isCancellingExtraction: Bool {
        if case .extracting = phase { return extractionCancellation?.isCancelled == true }
        return false
    }

    /// Finds the faces. Stops before searching when a sub-folder matches no member of the roster
    /// (`rosterMismatch` says which), unless `allowUnmatched` (their photos are then left out).
    func findFaces(allowUnmatched: Bool = false) {
        guard !isBusy, extractionProblem == nil, let photoRoot else { return }
        let roster: Roster
        do { roster = try loadRoster() } catch {
            onMessage("\(error)")
            return
        }
        rosterMismatch = nil
        let flag = CancellationFlag()
        extractionCancellation = flag
        phase = .extracting(done: 0, total: 0)
        let reference = rosterReference
        SettingsStore.shared.update {
            $0.trainingPhotoFolder = photoRoot.path
            $0.trainingRoster = reference
        }
        onChange()
        let started = Date()
        worker.analyse(photoRoot: photoRoot, roster: roster, preset: preset, allowUnmatched: allowUnmatched, cancellation: flag,
                       progress: { [weak self] done, total in
            guard let self, case .extracting = self.phase else { return }
            self.phase = .extracting(done: done, total: total)
            self.onChange()
        }, done: { [weak self] result in
            guard let self else { return }
            self.phase = .idle
            self.extractionCancellation = nil
            switch result {
            case .success(.found(let analysis, let folder, let detector)):
                self.analysis = analysis
                self.analysisCount += 1
                self.analysedRoster = roster
                self.analysisBasis = TrainingFreshness.Basis(photoRoot: photoRoot.standardizedFileURL.path, roster: roster,
                                                             detector: detector, folder: folder, time: started)
                self.knownInputs = (photoRoot.standardizedFileURL.path, folder)
                self.knownDetector = detector
                self.buildCuration()
            case .success(.mismatch(let mismatch)):
                self.rosterMismatch = mismatch
            case .failure(let error as ExtractionCancelled):
                self.onMessage(L10n.format(L10n.tr("Find Faces cancelled after %d of %d photos. The faces found so far are kept, so the next Find Faces starts from there."),
                                           error.done, error.total))
            case .failure(let error):
                self.onMessage("\(error)")
            }
            self.updateFreshness()
            self.onChange()
        })
    }

    /// Stops Find Faces after the photos in hand; the faces found so far stay cached.
    func cancelFindFaces() {
        guard case .extracting = phase, let flag = extractionCancellation, !flag.isCancelled else { return }
        flag.cancel()
        onChange()
    }

    func loadRoster() throws -> Roster {
        try RosterLoader.load(idOrPath: rosterReference, storage: worker.storage)
    }

    // MARK: Training

    /// Why Start cannot run yet, or nil.
    var startProblem: String? {
        if analysis == nil { return L10n.tr("Find the faces in your photos first (Photos page).") }
        if analysis?.classes.count ?? 0 < 2 { return L10n.tr("Training needs photos of at least 2 members.") }
        guard let backend = selectedBackend else { return L10n.tr("No backend plugin is available.") }
        if TrainingPlan.usesPretrainedWeights(backend), options.weights == .automatic, WeightsLocator.find(.vgg16) == nil {
            return L10n.tr("This backend needs the ImageNet VGG16 weights: use Get Weights first.")
        }
        if BackendResources.usesSFace(backend), !faceModelsInstalled {
            return L10n.tr("Face embeddings need the SFace and YuNet face models: use Get Face Models first.")
        }
        if backend.input.kind == .aligned, let detector = analysis?.report.detector, detector.hasPrefix("haar") {
            return L10n.tr("Face embeddings need faces found by YuNet, which gives their landmarks: Find Faces again now that the face models are installed.")
        }
        return nil
    }

    func start() {
        guard !isBusy, startProblem == nil, let photoRoot, let backendID, let roster = analysedRoster else { return }
        // The run's dataset build reads curation.json: decisions still being written go first.
        if waitForCurationSaves(then: { [weak self] in self?.start() }) { return }
        let flag = CancellationFlag()
        cancellation = flag
        runStart = (Date(), roster, CorrectionBook.shared.currentStore()?.decisions ?? [:])
        curves = TrainingCurves(plannedEpochs: options.epochs ?? 0)
        outcome = nil
        savedName = nil
        progress = TrainingProgress(stage: .preparing(done: 0, total: 0))
        phase = .training
        SettingsStore.shared.update { $0.trainingBackend = backendID }
        onChange()
        var options = self.options
        options.preset = preset
        let request = TrainingWorker.RunRequest(photoRoot: photoRoot, roster: roster, preset: preset,
                                                backendID: backendID, options: options)
        worker.train(request, cancellation: flag, extraction: { [weak self] done, total in
            guard let self, self.isTraining else { return }
            self.progress.stage = done == total ? .readingCrops : .preparing(done: done, total: total)
            self.onChange()
        }, events: { [weak self] event in
            guard let self, self.isTraining else { return }
            self.progress.apply(event)
            self.curves.apply(event)
            self.onChange()
        }, done: { [weak self] result in
            self?.finished(result)
        })
    }

    private func finished(_ result: Result<TrainingWorker.RunOutcome, Error>) {
        phase = .idle
        cancellation = nil
        switch result {
        case .success(let run):
            outcome = run
            if run.manifest != nil, let start = runStart {
                runBasis = (TrainingFreshness.Basis(photoRoot: run.dataset.photoRoot, roster: start.roster, detector: run.dataset.faceSource,
                                                    folder: run.folder, time: start.time), start.decisions)
                if let folder = run.folder { knownInputs = (run.dataset.photoRoot, folder) }
            } else {
                runBasis = nil
            }
            curves = TrainingCurves(plannedEpochs: curves.plannedEpochs, history: run.history,
                                    learningRateChanges: curves.learningRateChanges)
            // A cancelled or diverged run keeps no weights: no "weights from epoch" ring.
            curves.finish(run.stop, weightsEpoch: run.manifest == nil ? nil : run.weightsEpoch)
            switch run.stop {
            case .cancelled:
                onMessage(L10n.tr("Training cancelled; nothing was saved and the active model is unchanged."))
            case .diverged(let message):
                onMessage(L10n.format(L10n.tr("Training stopped: %s. Nothing was saved."), message))
            case .completed, .earlyStopped:
                break
            }
        case .failure(let error):
            onMessage("\(error)")
        }
        runStart = nil
        updateFreshness()
        let waiting = afterStop
        afterStop = []
        onChange()
        for body in waiting { body() }
    }

    /// Asks the run to stop after the current batch; `then` runs once it has.
    func cancel(then body: (@MainActor () -> Void)? = nil) {
        if let body { afterStop.append(body) }
        guard isTraining else {
            let waiting = afterStop
            afterStop = []
            for body in waiting { body() }
            return
        }
        phase = .stopping
        cancellation?.cancel()
        onChange()
    }

    // MARK: Curation

    /// The Review page's queue: nil before Find Faces and while it is being built.
    private(set) var curation: CurationQueue?
    /// The queue's crops by id (see `TrainingWorker.CurationBuild`).
    private(set) var curationCrops: [CropID: RGBImage] = [:]
    /// Changes when a new queue replaces the old one (the grid rebuilds) ...
    private(set) var curationGeneration = 0
    /// ... and when a decision changes the current one (the grid updates in place).
    private(set) var curationRevision = 0
    /// Why there is no queue although faces were found (the curation file is unreadable).
    private(set) var curationProblem: String?
    /// Decisions handed to CorrectionBook but not yet on disk.
    private var pendingCurationSaves = 0
    private var afterCurationSaves: [@MainActor () -> Void] = []

    /// The roster's members as the grid names them.
    var curationDirectory: MemberDirectory {
        MemberDirectory(classes: analysedRoster?.members.map(\.id) ?? [], roster: analysedRoster)
    }

    private func buildCuration() {
        guard let analysis, let roster = analysedRoster else { return }
        curation = nil
        curationCrops = [:]
        curationGeneration += 1
        // The decisions as CorrectionBook holds them: the same store the grid's decisions and
        // the photo view's corrections are written through.
        guard let store = CorrectionBook.shared.currentStore() else {
            curationProblem = L10n.tr("Your earlier decisions could not be read (curation.json), so the review is not available.")
            return
        }
        curationProblem = nil
        let generation = curationGeneration
        worker.buildCuration(analysis: analysis, store: store, roster: roster, preset: preset) { [weak self] build in
            // A newer Find Faces replaced this one while it was being built.
            guard let self, self.curationGeneration == generation else { return }
            self.curation = build.queue
            self.curationCrops = build.crops
            self.curationGeneration += 1
            self.updateFreshness()
            self.onChange()
        }
    }

    /// Records the user's decision for `crop` (see `decide(_:crops:)`).
    func decide(_ decision: CurationStore.Decision, crop: CropID) {
        decide(decision, crops: [crop])
    }

    /// The Review page's undo list: each call of `decide` is one step.
    private(set) var history = CurationHistory()

    /// Records one decision for several crops in the curation store (through CorrectionBook, so
    /// it never races the photo view's corrections; one write for all) and shows it in the
    /// queue; one undo step. The next Start builds the dataset from that file
    /// (`DatasetBuilder.analyse` applies it); the photo folder is only ever read.
    func decide(_ decision: CurationStore.Decision?, crops: [CropID]) {
        guard let queue = curation, let step = CurationHistory.step(decision, crops: crops, in: queue) else { return }
        guard apply(step) else { return }
        history.record(step)
        onChange()
    }

    /// Takes the last step back: every crop gets the decision it had before (or none).
    func undo() {
        guard curation != nil, let step = history.undo() else { return }
        if !apply(step.inverse) { _ = history.redo() }
        onChange()
    }

    func redo() {
        guard curation != nil, let step = history.redo() else { return }
        if !apply(step) { _ = history.undo() }
        onChange()
    }

    /// Writes the step's decisions and shows them; false when the store could not be read.
    private func apply(_ step: CurationHistory.Step) -> Bool {
        pendingCurationSaves += 1
        let recorded = CorrectionBook.shared.record(decisions: step.changes.map { ($0.crop, $0.after) }) { [weak self] problem in
            guard let self else { return }
            self.pendingCurationSaves -= 1
            if let problem { self.onMessage(problem) }
            guard self.pendingCurationSaves == 0 else { return }
            let waiting = self.afterCurationSaves
            self.afterCurationSaves = []
            for body in waiting { body() }
        }
        guard recorded else { return false }
        curation?.apply(step)
        curationRevision += 1
        updateFreshness()
        return true
    }

    /// True while decisions are still being written; `retry` then runs once they are, because
    /// the run's dataset build reads the file and must see every decision the user made.
    private func waitForCurationSaves(then retry: @escaping @MainActor () -> Void) -> Bool {
        guard pendingCurationSaves > 0 else { return false }
        afterCurationSaves.append(retry)
        return true
    }

    // MARK: Freshness

    /// What the last Find Faces was based on (kept for the session with the faces).
    private(set) var analysisBasis: TrainingFreshness.Basis?
    /// What the last run's results are based on, and the decisions it read.
    private var runBasis: (basis: TrainingFreshness.Basis, decisions: [CropID: CurationStore.Decision])?
    private var runStart: (time: Date, roster: Roster, decisions: [CropID: CurationStore.Decision])?
    /// The photo folder as last looked at (its path, and the snapshot; nil inside: unreadable).
    private var knownInputs: (root: String, folder: PhotoFolderSnapshot?)?
    /// The face source Find Faces would use now, as last worked out.
    private var knownDetector: String?
    private var freshnessCheck = 0
    /// Why the faces are stale ("These faces were found at …"), nil while they are current.
    private(set) var facesStaleText: String?
    /// Why the results are stale, nil while they are current (or there are none).
    private(set) var resultsStaleText: String?

    /// Looks at the photo folder again (off the GTK thread) and the detector Find Faces would
    /// use, then says whether the faces and results are stale. Called when the panel opens or
    /// comes back to the front; decisions and choices update it at once (`updateFreshness`).
    func checkFreshness() {
        updateFreshness()
        guard let photoRoot, let roster = try? loadRoster() else { return }
        let root = photoRoot.standardizedFileURL.path
        // Only the folder the faces or results came from: another one is stale anyway, and a
        // half-typed path ("/") must never be walked.
        guard analysisBasis?.photoRoot == root || runBasis?.basis.photoRoot == root else { return }
        freshnessCheck += 1
        let check = freshnessCheck
        worker.currentInputs(photoRoot: photoRoot, roster: roster, preset: preset) { [weak self] folder, detector in
            guard let self, check == self.freshnessCheck else { return }
            self.knownInputs = (root, folder)
            self.knownDetector = detector
            self.updateFreshness()
            self.onChange()
        }
    }

    /// Recomputes the stale texts from what is known now (no file is read but the roster's).
    func updateFreshness() {
        let root = photoRoot?.standardizedFileURL.path
        let folder: PhotoFolderSnapshot??
        if let known = knownInputs, known.root == root { folder = .some(known.folder) } else { folder = nil }
        let current = TrainingFreshness.Current(photoRoot: root, roster: try? loadRoster(), detector: knownDetector, folder: folder)
        let store = CorrectionBook.shared.currentStore()
        facesStaleText = analysisBasis.flatMap { basis in
            TrainingFreshness.facesText(TrainingFreshness.analysisReasons(basis, now: current, review: curation?.members, store: store), since: basis.time)
        }
        resultsStaleText = runBasis.flatMap { run in
            TrainingFreshness.resultsText(TrainingFreshness.runReasons(run.basis, decisions: run.decisions, now: current, store: store),
                                          since: run.basis.time)
        }
    }

    // MARK: Saving

    /// A name nobody has used yet: "<roster>-<backend>-<n>".
    func suggestedModelName() -> String {
        let taken = Set(worker.store.list().map(\.name))
        let base = "\(analysedRoster?.id ?? "model")-\(outcome?.manifest?.backend.id ?? backendID ?? "model")"
        var n = 1
        while taken.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    /// The active model as saved, for comparing a new one with it (nil when none is active or
    /// its model.json cannot be read).
    func activeModelSummary() -> ModelSummary? {
        guard let name = worker.store.activeName(), let manifest = try? worker.store.manifest(of: name) else { return nil }
        return ModelSummary(name: name, manifest: manifest)
    }

    func save(as name: String, activate: Bool) {
        guard let outcome, let model = outcome.model, let manifest = outcome.manifest else { return }
        do { try ModelStore.validate(name: name) } catch {
            onMessage("\(error)")
            return
        }
        worker.save(model, manifest: manifest, name: name, activate: activate) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let name):
                self.savedName = name
                if activate { RecognitionState.shared.load(name) }
                self.onMessage(activate ? L10n.format(L10n.tr("Saved “%s”; photos are now labelled with it."), name)
                                        : L10n.format(L10n.tr("Saved “%s”."), name))
            case .failure(let error):
                self.onMessage(L10n.format(L10n.tr("Could not save the model: %s"), "\(error)"))
            }
            self.onChange()
        }
    }
}
