import FaceKit
import Foundation

/// The model every window labels with, and the name preference. Main-actor state shared by the
/// windows (the active model is a per-user setting, as in `tribelens-cli model activate`);
/// loading happens in `Recognizer`, off the GTK thread.
@MainActor
final class RecognitionState {
    static let shared = RecognitionState()

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

    private init() {
        let environment = ProcessInfo.processInfo.environment
        script = Self.initialScript(names: environment["TRIBELENS_NAMES"],
                                    chosen: SettingsStore.shared.settings.nameDisplay,
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
        appliedNameDisplay = SettingsStore.shared.settings.nameDisplay
        SettingsStore.shared.observe { [weak self] settings in
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
        try ModelStore.standard().activate(name: name)
        load(name)
    }

    /// Loads `name` (nil: the active one); the windows relabel their photos when it is ready.
    func load(_ name: String?) {
        status = .loading(name)
        notify()
        Recognizer.shared.load(name: name) { [weak self] status, plugins in
            guard let self else { return }
            self.status = status
            self.plugins = plugins
            self.notify()
        }
    }

    /// The saved models, for the switcher (small JSON files; read when the menu opens).
    func savedModels() -> [(summary: ModelSummary?, name: String, problem: String?, active: Bool)] {
        ModelStore.standard().list().map { entry in
            (entry.manifest.map { ModelSummary(name: entry.name, manifest: $0) }, entry.name, entry.problem, entry.isActive)
        }
    }

    private func notify() {
        for observer in observers.values { observer() }
    }
}
