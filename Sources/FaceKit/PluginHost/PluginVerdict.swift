import Foundation

/// What checking a plugin file in a child process found: it can be loaded here (the host's
/// loader then checks its table, as for any plugin), or it is refused with the reason and a
/// message that names the file. The verdict cache stores them.
public struct PluginVerdict: Codable, Sendable, Equatable {
    /// Safe to load in the host's process.
    public var accepted: Bool
    public var reason: PluginLoadError.Reason?
    public var message: String?
    /// What the child saw of an accepted plugin's table, for the cache's readers.
    public var id: String?
    public var abi: String?

    public static func accepted(id: String?, abi: String?) -> PluginVerdict {
        PluginVerdict(accepted: true, reason: nil, message: nil, id: id, abi: abi)
    }

    public static func refused(_ reason: PluginLoadError.Reason, _ message: String) -> PluginVerdict {
        PluginVerdict(accepted: false, reason: reason, message: message, id: nil, abi: nil)
    }

    /// Whether the verdict says something about the file's bytes alone, so that it may be
    /// remembered until the file changes. A library the plugin needs that is not installed yet
    /// is the machine's state, not the file's: that refusal is checked again at each start.
    var isAboutTheFile: Bool {
        guard let reason else { return true }
        switch reason {
        case .probeFailed, .notRegularFile, .unreadable: return false
        case .dlopenFailed: return !(message ?? "").contains("cannot open shared object file")
        default: return true
        }
    }
}
