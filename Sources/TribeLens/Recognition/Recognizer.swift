import Dispatch
import FaceKit
import Foundation

/// Loads saved models through the plugin host and labels face crops with them, off the GTK
/// thread, on one serial queue (a plugin model is not thread-safe, and training-sized work
/// must not compete with detection on a 2-core machine). Results come back through
/// `MainLoop.post`. The app has one (`RecognitionState.shared`'s): the active model is a
/// per-user setting. Where models, rosters and backends come from is passed in, so tests load
/// models of a fake backend from temporary folders.
final class Recognizer: @unchecked Sendable {
    /// The backends models can be loaded through, and what the model menu says about the plugins.
    typealias Discovery = @Sendable () -> (backends: [any ModelBackend], report: PluginReport)

    /// Shown when no model is active: how to make one. The two command lines are commands,
    /// not prose, so they stay as written in every language.
    static var trainingHint: String {
        [L10n.tr("No trained model yet: faces are boxed but not named. Train one with Train a Model… (Ctrl+T), or in a terminal:"),
         "tribelens-cli dataset build --photos FOLDER --name NAME",
         "tribelens-cli train --dataset NAME --backend scratch-cnn --model NAME --activate"].joined(separator: "\n")
    }

    /// `trainingHint` for a label `width` characters wide: the sentence as it is (the label
    /// wraps it), each command broken only between options.
    static func trainingHintLaidOut(width: Int) -> String {
        let lines = trainingHint.components(separatedBy: "\n")
        return ([lines[0]] + lines.dropFirst().flatMap { CommandLayout.lines($0, width: width) }).joined(separator: "\n")
    }

    /// The saved models (the user's, `$XDG_DATA_HOME/tribelens/models`, unless given).
    let store: ModelStore
    /// Where the models' rosters are looked up.
    private let storage: DatasetStorage
    private let discover: Discovery
    private let queue = DispatchQueue(label: "io.github.tribelens.recognition", qos: .userInitiated)
    // Touched only on `queue`.
    private var discovered: (backends: [any ModelBackend], report: PluginReport)?
    private var predictor: FacePredictor?
    private var generation = 0

    init(store: ModelStore = .standard(), storage: DatasetStorage = .standard, discover: @escaping Discovery = Recognizer.plugins) {
        self.store = store
        self.storage = storage
        self.discover = discover
    }

    /// The plugins on the standard search path; a plugin that fails to load is listed as
    /// refused by the host, it never stops the app. Every refusal goes to the log; the menu
    /// shows those in the user's own plugin folders.
    @Sendable static func plugins() -> (backends: [any ModelBackend], report: PluginReport) {
        let catalog = PluginHost().discover()
        for refusal in catalog.refused { log("plugin not loaded: \(refusal.message)") }
        return (catalog.backends, PluginReport(backends: catalog.backends.map(\.info.id),
                                               refused: RefusedPlugin.shown(catalog.refused, searched: catalog.searched)))
    }

    /// Loads `name` (nil: the active model, if any) and reports the new status.
    func load(name: String?, then deliver: @escaping @MainActor @Sendable (ModelStatus, PluginReport) -> Void) {
        queue.async { [self] in
            let status = loadOnQueue(name: name)
            let report = discovered?.report ?? PluginReport()
            MainLoop.post { deliver(status, report) }
        }
    }

    private func loadOnQueue(name: String?) -> ModelStatus {
        generation += 1
        predictor = nil
        // Discovered once, also with no model, so the model menu can say which backends exist.
        if discovered == nil { discovered = discover() }
        guard let name = name ?? store.activeName() else { return .none }
        let started = DispatchTime.now()
        do {
            let loaded = try FacePredictor(store: store, name: name, backends: discovered?.backends ?? [])
            predictor = loaded
            // Warm it up: an embedding backend opens its network on first use (SFace: a
            // fraction of a second), which would otherwise fall on the first photo's names.
            // One blank face; its answer does not matter, and a model that fails on it says so
            // when it labels real faces.
            _ = try? loaded.labelFaces(pixels: [UInt8](repeating: 0, count: loaded.input.bytes), count: 1)
            let roster = MemberDirectory.roster(for: loaded.manifest, storage: storage)
            let info = LoadedModelInfo(generation: generation, summary: ModelSummary(name: name, manifest: loaded.manifest),
                                       directory: MemberDirectory(classes: loaded.manifest.classes, roster: roster),
                                       policy: loaded.policy, preparation: loaded.preparation,
                                       unknownBelow: loaded.manifest.openSet?.similarity)
            Self.log(String(format: "model %@ (%@) loaded in %.2f s", name, loaded.manifest.backend.id,
                            Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9))
            return .ready(info)
        } catch {
            Self.log("model \(name) cannot be used: \(error)")
            return .failed(name: name, message: "\(error)")
        }
    }

    /// Labels the 64x64 crops of one photo's faces together (no member twice in a photo).
    /// `deliver` gets nil labels when the model changed meanwhile or prediction failed.
    func label(crops: [UInt8], count: Int, boxes: [FaceBox]? = nil, generation wanted: Int,
               then deliver: @escaping @MainActor @Sendable (Result<[FaceLabel], PredictionFailure>) -> Void) {
        queue.async { [self] in
            let result: Result<[FaceLabel], PredictionFailure>
            if wanted != generation || predictor == nil {
                result = .failure(PredictionFailure(message: "stale", stale: true))
            } else {
                do {
                    result = .success(try predictor!.labelFaces(pixels: crops, count: count, boxes: boxes))
                } catch {
                    result = .failure(PredictionFailure(message: "\(error)", stale: false))
                }
            }
            MainLoop.post { deliver(result) }
        }
    }

    static func log(_ text: String) {
        FileHandle.standardError.write(Data("tribelens: \(text)\n".utf8))
    }
}

struct PredictionFailure: Error, Sendable {
    let message: String
    /// The model changed between asking and answering: ask again, say nothing.
    let stale: Bool
}
