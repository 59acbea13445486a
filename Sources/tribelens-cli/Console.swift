import Foundation

/// Line output without the C `stdout` global (not concurrency-safe in Swift 6).
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension Duration {
    var milliseconds: String {
        let (s, atto) = components
        return String(format: "%.1f", Double(s) * 1e3 + Double(atto) / 1e15)
    }
}
