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
    var photoRoot: URL?
    /// A shipped roster id ("ldh"), one in `$XDG_DATA_HOME/tribelens/rosters`, or a file path.
    var rosterReference = "ldh"
    var preset: TrainingPreset = .recommended
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

    var backends: [BackendInfo] { catalog?.backends.map(\.info) ?? [] }
    var selectedBackend: BackendInfo? { backends.first { $0.id == backendID } }

    // MARK: Plugins

    func discoverPlugins() {
        worker.discover { [weak self] catalog in
            guard let self else { return }
            self.catalog = catalog
            // Keep the choice when it is still there; else the last one used, else the scratch
            // CNN (the write-up's own).
            if self.backendID.flatMap({ id in catalog.backend(id: id) }) == nil {
                self.backendID = [self.rememberedBackend, "scratch-cnn"].compactMap { $0 }.first { catalog.backend(id: $0) != nil }
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

    func findFaces() {
        guard !isBusy, extractionProblem == nil, let photoRoot else { return }
        let roster: Roster
        do { roster = try loadRoster() } catch {
            onMessage("\(error)")
            return
        }
        phase = .extracting(done: 0, total: 0)
        let reference = rosterReference
        SettingsStore.shared.update {
            $0.trainingPhotoFolder = photoRoot.path
            $0.trainingRoster = reference
        }
        onChange()
        worker.analyse(photoRoot: photoRoot, roster: roster, preset: preset, progress: { [weak self] done, total in
            guard let self, case .extracting = self.phase else { return }
            self.phase = .extracting(done: done, total: total)
            self.onChange()
        }, done: { [weak self] result in
            guard let self else { return }
            self.phase = .idle
            switch result {
            case .success(let analysis):
                self.analysis = analysis
                self.analysedRoster = roster
            case .failure(let error):
                self.onMessage("\(error)")
            }
            self.onChange()
        })
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
        return nil
    }

    func start() {
        guard !isBusy, startProblem == nil, let photoRoot, let backendID, let roster = analysedRoster else { return }
        let flag = CancellationFlag()
        cancellation = flag
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

    // MARK: Saving

    /// A name nobody has used yet: "<roster>-<backend>-<n>".
    func suggestedModelName() -> String {
        let taken = Set(worker.store.list().map(\.name))
        let base = "\(analysedRoster?.id ?? "model")-\(outcome?.manifest?.backend.id ?? backendID ?? "model")"
        var n = 1
        while taken.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
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
