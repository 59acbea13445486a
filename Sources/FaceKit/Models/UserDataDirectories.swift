import Foundation

/// XDG base directories (https://specifications.freedesktop.org/basedir-spec/): relative values
/// are invalid per the spec and ignored.
public enum UserDataDirectories {
    public static func dataHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let value = environment["XDG_DATA_HOME"], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return home(environment).appendingPathComponent(".local/share", isDirectory: true)
    }

    public static func cacheHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let value = environment["XDG_CACHE_HOME"], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return home(environment).appendingPathComponent(".cache", isDirectory: true)
    }

    private static func home(_ environment: [String: String]) -> URL {
        if let home = environment["HOME"], home.hasPrefix("/") { return URL(fileURLWithPath: home, isDirectory: true) }
        return FileManager.default.homeDirectoryForCurrentUser
    }
}
