import Foundation

/// The XDG folders TribeLens owns (design brief, "Files the app owns"). Read from the environment
/// each time so tests can point them at temporary folders.
public enum AppPaths {
    static func xdg(_ variable: String, default relative: String) -> URL {
        if let value = ProcessInfo.processInfo.environment[variable], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(relative, isDirectory: true)
    }

    /// User decisions and trained models: `$XDG_DATA_HOME/tribelens`.
    public static var dataHome: URL { xdg("XDG_DATA_HOME", default: ".local/share").appendingPathComponent("tribelens", isDirectory: true) }
    /// Derived, deletable data: `$XDG_CACHE_HOME/tribelens`.
    public static var cacheHome: URL { xdg("XDG_CACHE_HOME", default: ".cache").appendingPathComponent("tribelens", isDirectory: true) }
    /// Settings: `$XDG_CONFIG_HOME/io.github.tribelens.TribeLens`.
    public static var configHome: URL { xdg("XDG_CONFIG_HOME", default: ".config").appendingPathComponent(appID, isDirectory: true) }

    public static let appID = "io.github.tribelens.TribeLens"
}
