import FaceKit
import Foundation

/// A plugin the host refused, as a user is told about it: only files in the user's own plugin
/// folders (`$TRIBELENS_PLUGIN_PATH`, `~/.local/share/tribelens/plugins`) are shown, since a
/// user can act on those; a problem with a plugin that ships goes to the log, not the menu.
struct RefusedPlugin: Sendable, Equatable {
    /// The file's name, "libbroken.so".
    let file: String
    /// Why, in a user's words.
    let reason: String
    /// The full path and the host's message, for the details expander.
    let details: String

    init(_ refusal: PluginHost.Refusal) {
        file = URL(fileURLWithPath: refusal.path).lastPathComponent
        reason = Self.words(for: refusal.reason)
        details = "\(refusal.path)\n\(refusal.message)"
    }

    /// "libbroken.so: this file is not a plugin"
    var line: String { "\(file): \(reason)" }

    /// The refusals of files in the user's own plugin folders, in search-path order.
    static func shown(_ refused: [PluginHost.Refusal], searched: [PluginSearchPath.Entry]) -> [RefusedPlugin] {
        let own = searched.filter { $0.origin == .environment || $0.origin == .userData }
            .map { $0.directory.standardizedFileURL.path.hasSuffix("/") ? $0.directory.standardizedFileURL.path
                                                                         : $0.directory.standardizedFileURL.path + "/" }
        return refused.filter { refusal in
            let path = URL(fileURLWithPath: refusal.path).standardizedFileURL.path
            return own.contains { path.hasPrefix($0) }
        }.map(RefusedPlugin.init)
    }

    static func words(for reason: PluginLoadError.Reason) -> String {
        switch reason {
        case .unreadable: return L10n.tr("the file cannot be read")
        case .notELF: return L10n.tr("this file is not a plugin")
        case .dlopenFailed: return L10n.tr("it could not be opened; it may be built for another system or need a missing library")
        case .wrongMajor: return L10n.tr("it was made for another version of TribeLens")
        case .duplicateID: return L10n.tr("another plugin already provides the same backend")
        case .missingSymbol, .nullTable, .shortTable, .missingFunction, .badMetadata, .notAFunction:
            return L10n.tr("it is not a TribeLens plugin, or it is damaged")
        // Found when the file was first loaded in a child process (docs/reliability.md).
        case .crashed: return L10n.tr("it crashed when it was loaded in a separate process, so it was not loaded")
        case .exitedWhileLoading: return L10n.tr("it ended the separate process it was loaded in, so it was not loaded")
        case .timedOut: return L10n.tr("it took too long to load in a separate process, so it was not loaded")
        case .outOfMemory: return L10n.tr("it needed too much memory to load, so it was not loaded")
        case .writesToStdout: return L10n.tr("it prints text while loading, which plugins must not do")
        case .notRegularFile: return L10n.tr("this is not a regular file")
        case .probeFailed: return L10n.tr("it could not be checked before loading (tribelens-probe is missing)")
        }
    }
}
