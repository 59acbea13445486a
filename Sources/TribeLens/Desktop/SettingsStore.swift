import FaceKit
import Foundation

/// The app's one copy of `FaceKit.AppSettings`: loaded at start, saved (atomically, by FaceKit)
/// on every change, and observable so widgets follow a preference as soon as it changes.
@MainActor
final class SettingsStore {
    static let shared = SettingsStore()

    private(set) var settings: AppSettings
    /// Why parts of the file were ignored at start (shown once as a message).
    let loadProblems: [String]
    private var observers: [(AppSettings) -> Void] = []
    private let file: URL

    /// `file`: the settings keyfile (the XDG one; tests pass a temporary file).
    init(file: URL = AppSettings.defaultURL) {
        self.file = file
        (settings, loadProblems) = AppSettings.loadLeniently(from: file)
        for problem in loadProblems { FileHandle.standardError.write(Data("tribelens: \(problem)\n".utf8)) }
    }

    /// Changes the settings and saves them; observers run only when something changed.
    func update(_ change: (inout AppSettings) -> Void) {
        var next = settings
        change(&next)
        guard next != settings else { return }
        settings = next
        do {
            try settings.save(to: file)
        } catch {
            FileHandle.standardError.write(Data("tribelens: \(error)\n".utf8))
        }
        for observer in observers { observer(settings) }
    }

    /// Calls `observer` after every change (not now).
    func observe(_ observer: @escaping (AppSettings) -> Void) {
        observers.append(observer)
    }
}
