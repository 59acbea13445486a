import Foundation

/// Face extraction stopped because the user cancelled it; the photos done so far are cached,
/// so the next run starts from there.
public struct ExtractionCancelled: Error, Equatable, CustomStringConvertible {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }

    public var description: String { "face extraction cancelled after \(done) of \(total) photos" }
}
