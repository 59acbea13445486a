import Foundation

/// Set from any thread (a Cancel button) and polled by the training loop after every batch.
public final class CancellationFlag: @unchecked Sendable {
    // @unchecked: the Bool is only touched under the lock.
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
