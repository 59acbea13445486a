import Foundation
import SafeFiles

/// The user's preferences, kept in `$XDG_CONFIG_HOME/io.github.tribelens.TribeLens/settings.ini`
/// (a GLib-style key file, so it is readable and editable by hand):
///
///     [Display]
///     name-display=japanese
///     color-scheme=system
///     [Detection]
///     detector=haar
///     [Window]
///     width=1000
///     height=720
///     maximized=false
///     [Training]
///     photo-folder=/home/me/Pictures/LDH
///     roster=/usr/share/tribelens/rosters/ldh.json
///     backend=scratch-cnn
///
/// `load` never loses the user's other values over one bad line: `loadLeniently` keeps the
/// defaults for what it cannot read and says why. `save` is atomic and keeps keys it does not
/// know (written by another TribeLens version or by hand).
public struct AppSettings: Codable, Equatable, Sendable {
    /// How member names are shown on face labels.
    public enum NameDisplay: String, Codable, CaseIterable, Sendable {
        case japanese, romaji
    }

    /// The face detector the app uses when `TRIBELENS_YUNET_MODEL` is not set.
    public enum Detector: String, Codable, CaseIterable, Sendable {
        case haar, yunet
    }

    /// Light or dark: follow the desktop, or force one.
    public enum ColorScheme: String, Codable, CaseIterable, Sendable {
        case system, light, dark
    }

    /// nil until the user picks one: the app then follows the locale (Japanese names in a
    /// Japanese locale, romaji elsewhere).
    public var nameDisplay: NameDisplay?
    public var colorScheme: ColorScheme = .system
    public var detector: Detector = .haar
    public var windowWidth = 1000
    public var windowHeight = 720
    public var windowMaximized = false
    /// The training panel's last photo folder, roster (id or file) and backend id, so a
    /// retrain starts where the last one left off. nil: never chosen.
    public var trainingPhotoFolder: String?
    public var trainingRoster: String?
    public var trainingBackend: String?

    public init() {}

    public static var defaultURL: URL { AppPaths.configHome.appendingPathComponent("settings.ini") }

    // Smallest window the size keys accept; GTK would clamp anyway, but a 0 here is a broken file.
    static let minimumWindowSide = 200
    static let maximumWindowSide = 16384

    /// Reads the settings; a missing file gives the defaults. Any problem throws, naming the
    /// file, line or key.
    public static func load(from url: URL = defaultURL) throws -> AppSettings {
        let (settings, problems) = try read(url)
        if let first = problems.first { throw SettingsError(first) }
        return settings
    }

    /// Reads what can be read: a missing or broken file gives the defaults, a bad value keeps
    /// its default; `problems` says what was ignored (one line each), for a message or a log.
    public static func loadLeniently(from url: URL = defaultURL) -> (settings: AppSettings, problems: [String]) {
        do {
            return try read(url)
        } catch {
            return (AppSettings(), ["\(error); using the default settings"])
        }
    }

    /// Writes the settings through a temporary file and a rename, keeping comments and unknown
    /// keys of the existing file (a broken existing file is replaced).
    public func save(to url: URL = AppSettings.defaultURL) throws {
        var file = (try? Self.readKeyFile(url)) ?? KeyFile()
        if let nameDisplay { file.set("Display", "name-display", nameDisplay.rawValue) }
        file.set("Display", "color-scheme", colorScheme.rawValue)
        file.set("Detection", "detector", detector.rawValue)
        file.set("Window", "width", String(windowWidth))
        file.set("Window", "height", String(windowHeight))
        file.set("Window", "maximized", windowMaximized ? "true" : "false")
        if let trainingPhotoFolder { file.set("Training", "photo-folder", trainingPhotoFolder) }
        if let trainingRoster { file.set("Training", "roster", trainingRoster) }
        if let trainingBackend { file.set("Training", "backend", trainingBackend) }
        do {
            try AtomicFile.write(Data(file.text.utf8), to: url, createFolder: true)
        } catch {
            throw SettingsError("cannot save settings to \(url.path): \(error)")
        }
    }

    // MARK: Reading

    static func readKeyFile(_ url: URL) throws -> KeyFile? {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch CocoaError.fileReadNoSuchFile {
            return nil
        } catch let error as NSError where error.domain == NSPOSIXErrorDomain && error.code == Int(ENOENT) {
            return nil
        } catch {
            throw SettingsError("cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SettingsError("\(url.path) is not UTF-8 text")
        }
        return try KeyFile(parsing: text, source: url.path)
    }

    static func read(_ url: URL) throws -> (AppSettings, [String]) {
        var settings = AppSettings()
        guard let file = try readKeyFile(url) else { return (settings, []) }
        var problems: [String] = []
        let name = url.lastPathComponent

        func choice<T: RawRepresentable & CaseIterable>(_ group: String, _ key: String, into value: inout T)
            where T.RawValue == String {
            guard let text = file.value(group, key) else { return }
            if let parsed = T(rawValue: text.lowercased()) {
                value = parsed
            } else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append("\(name): [\(group)] \(key) must be one of \(allowed), not \"\(text)\"")
            }
        }
        func side(_ key: String, into value: inout Int) {
            guard let text = file.value("Window", key) else { return }
            if let number = Int(text), (minimumWindowSide...maximumWindowSide).contains(number) {
                value = number
            } else {
                problems.append("\(name): [Window] \(key) must be a whole number from \(minimumWindowSide) to \(maximumWindowSide), not \"\(text)\"")
            }
        }

        var names = AppSettings.NameDisplay.japanese
        if file.value("Display", "name-display") != nil {
            let before = problems.count
            choice("Display", "name-display", into: &names)
            if problems.count == before { settings.nameDisplay = names }
        }
        choice("Display", "color-scheme", into: &settings.colorScheme)
        choice("Detection", "detector", into: &settings.detector)
        side("width", into: &settings.windowWidth)
        side("height", into: &settings.windowHeight)
        if let text = file.value("Window", "maximized") {
            switch text.lowercased() {
            case "true", "1": settings.windowMaximized = true
            case "false", "0": settings.windowMaximized = false
            default: problems.append("\(name): [Window] maximized must be true or false, not \"\(text)\"")
            }
        }
        // Free text (paths, ids): whatever is there is used; a path that has gone is the
        // panel's to report when it is used.
        settings.trainingPhotoFolder = file.value("Training", "photo-folder").flatMap { $0.isEmpty ? nil : $0 }
        settings.trainingRoster = file.value("Training", "roster").flatMap { $0.isEmpty ? nil : $0 }
        settings.trainingBackend = file.value("Training", "backend").flatMap { $0.isEmpty ? nil : $0 }
        return (settings, problems)
    }
}
