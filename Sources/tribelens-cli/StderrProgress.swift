import Foundation

/// Progress on stderr, at most ~10 updates a second, so stdout stays clean for --json.
final class StderrProgress: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var last = Date.distantPast
    /// On a terminal the line redraws in place; into a file or pipe only the last count is written.
    private let interactive = isatty(2) != 0

    init(_ label: String) { self.label = label }

    func callAsFunction(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard done == total || (interactive && now.timeIntervalSince(last) > 0.1) else { return }
        last = now
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) photos\(done == total ? "\n" : "")".utf8))
    }
}
