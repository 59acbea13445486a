import FaceKit

/// Which model labels faces right now, as the window shows it.
enum ModelStatus: Sendable, Equatable {
    /// Discovering plugins and loading the model (name nil: the active one, not known yet).
    case loading(String?)
    /// No saved model is active: faces are boxed but not named.
    case none
    case ready(LoadedModelInfo)
    /// The model could not be used (backend missing, broken files); faces are boxed only.
    case failed(name: String, message: String)

    var info: LoadedModelInfo? {
        if case .ready(let info) = self { return info }
        return nil
    }
}

/// The GTK-side description of a loaded model. `generation` grows with every load, so labels
/// computed by an earlier model are recognised as stale and dropped.
struct LoadedModelInfo: Sendable, Equatable {
    let generation: Int
    let summary: ModelSummary
    let directory: MemberDirectory
    let policy: PredictionPolicy
    /// How photos are analysed while this model is active (its detector and crops).
    let preparation: FacePreparation
    /// The model's open-set threshold (model.json `open_set`), for the face popover.
    var unknownBelow: Double? = nil
}

/// What the plugin host found, for the model menu: backend ids and the refused files a user
/// can act on (`RefusedPlugin.shown`).
struct PluginReport: Sendable, Equatable {
    var backends: [String] = []
    var refused: [RefusedPlugin] = []
}
