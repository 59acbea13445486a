import FaceKit
import Foundation

/// The model every window labels with, and the name preference. Main-actor state shared by the
/// windows (the active model is a per-user setting, as in `tribelens-cli model activate`);
/// loading and labelling happen in `recognizer`, off the GTK thread.
@MainActor
final class RecognitionState {
    /// The app's: the user's models, plugins and settings.
    static let shared = RecognitionState(recognizer: Recognizer(), settings: .shared)

    let recognizer: Recognizer
    /// The settings the name preference is read from and saved to.
    let settings: SettingsStore

    private(set) var status: ModelStatus = .loading(nil)
    private(set) var plugins = PluginReport()
    /// Japanese or romaji member names: `TRIBELENS_NAMES=romaji|japanese`, else the user's choice
    /// in the settings keyfile, else the locale's.
    var script: MemberDirectory.Script {
        didSet { if script != oldValue { notify() } }
    }
    private var observers: [UUID: @MainActor () -> Void] = [:]
    /// The settings' name choice last applied, so only a change to it changes the names.
    private var appliedNameDisplay: AppSettings.NameDisplay?
    private var started = false

    init(recognizer: Recognizer, settings: SettingsStore, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.recognizer = recognizer
        self.settings = settings
        script = Self.initialScript(names: environment["TRIBELENS_NAMES"],
                                    chosen: settings.settings.nameDisplay,
                                    locale: environment["LC_ALL"] ?? environment["LC_MESSAGES"] ?? environment["LANG"])
    }

    static func initialScript(names: String?, chosen: AppSettings.NameDisplay?, locale: String?) -> MemberDirectory.Script {
        if let names, let script = MemberDirectory.Script(rawValue: names.lowercased()) { return script }
        if let chosen, let script = MemberDirectory.Script(rawValue: chosen.rawValue) { return script }
        return (locale ?? "").hasPrefix("ja") ? .japanese : .romaji
    }

    /// Calls `body` after every change; returns a token for `unobserve`.
    @discardableResult
    func observe(_ body: @escaping @MainActor () -> Void) -> UUID {
        let token = UUID()
        observers[token] = body
        return token
    }

    func unobserve(_ token: UUID) { observers[token] = nil }

    /// Loads the active model once, for the first window.
    func start() {
        guard !started else { return }
        started = true
        // Preferences > Member names applies at once; saving any other setting leaves the
        // names alone.
        appliedNameDisplay = settings.settings.nameDisplay
        settings.observe { [weak self] settings in
            MainActor.assumeIsolated {
                guard let self, settings.nameDisplay != self.appliedNameDisplay else { return }
                self.appliedNameDisplay = settings.nameDisplay
                if let chosen = settings.nameDisplay, let script = MemberDirectory.Script(rawValue: chosen.rawValue) { self.script = script }
            }
        }
        load(nil)
    }

    /// Makes `name` the active model (as `tribelens-cli model activate` does) and loads it.
    func activate(_ name: String) throws {
        try recognizer.store.activate(name: name)
        load(name)
    }

    /// Loads `name` (nil: the active one); the windows relabel their photos when it is ready.
    func load(_ name: String?) {
        status = .loading(name)
        notify()
        recognizer.load(name: name) { [weak self] status, plugins in
            guard let self else { return }
            self.status = status
            self.plugins = plugins
            self.notify()
        }
    }

    /// Labels one photo's faces with the loaded model (`generation`: the model the caller saw;
    /// another one answers with a stale failure).
    func label(crops: [UInt8], count: Int, boxes: [FaceBox]? = nil, generation: Int,
               then deliver: @escaping @MainActor @Sendable (Result<[FaceLabel], PredictionFailure>) -> Void) {
        recognizer.label(crops: crops, count: count, boxes: boxes, generation: generation, then: deliver)
    }

    /// The saved models, for the switcher (small JSON files; read when the menu opens).
    func savedModels() -> [(summary: ModelSummary?, name: String, problem: String?, active: Bool)] {
        recognizer.store.list().map { entry in
            (entry.manifest.map { ModelSummary(name: entry.name, manifest: $0) }, entry.name, entry.problem, entry.isActive)
        }
    }

    private func notify() {
        for observer in observers.values { observer() }
    }
}
