import Dispatch
import Foundation

// Splits element-wise work over the cores. Convolutions are threaded by oneDNN and matrix
// products by OpenBLAS; this covers our own loops (pooling, activations, SGD updates).
enum Parallel {
    static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on disjoint chunks covering 0..<count; single-threaded for small counts where a
    /// thread hand-off costs more than the work.
    static func chunks(_ count: Int, minimumPerChunk: Int = 32_768, _ body: (Range<Int>) -> Void) {
        let n = min(workers, max(1, count / minimumPerChunk))
        if n <= 1 {
            body(0..<count)
            return
        }
        // Chunks are disjoint and concurrentPerform returns only when all are done, so sharing the
        // non-Sendable closure (and the pointers it captures) is safe.
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: n) { i in
                work(count * i / n..<count * (i + 1) / n)
            }
        }
    }
}
