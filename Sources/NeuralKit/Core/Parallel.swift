import CDNNL
import CNeuralKernels
import Dispatch
import Foundation

// NeuralKit's threading: each batch is split into one shard per core and every shard runs the
// whole network single-threaded (oneDNN with one OpenMP thread). A step
// then has a single join instead of a barrier inside every primitive, which keeps both cores busy
// even when other processes compete for them (spinning OpenMP barriers collapse under such load;
// measured in docs/neuralkit.md).
//
// The layers' arithmetic and the SGD update run inside `shards` or `chunks`, and there denormal floats
// are flushed to zero, as TensorFlow does for Keras' ops: saturated sigmoids make the scratch CNN's
// gradients denormal, and on the Intel Xeon this project met each such operand cost a microcode
// assist (a step took 2.5x as long; docs/neuralkit.md). The thread's previous mode is put back
// after each body, so the app's and plugins' own code keeps whatever mode it had.
enum Parallel {
    static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body(shard)` for shards 0..<count concurrently; each shard's thread uses one oneDNN thread.
    static func shards(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            omp_set_num_threads(1)
            flushingDenormals { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: count) { i in
                omp_set_num_threads(1)
                flushingDenormals { work(i) }
            }
        }
    }

    /// Calls `body` on disjoint chunks covering 0..<count; single-threaded for small counts where a
    /// thread hand-off costs more than the work. Only for work outside shards (SGD updates).
    static func chunks(_ count: Int, minimumPerChunk: Int = 32_768, _ body: (Range<Int>) -> Void) {
        let n = min(workers, max(1, count / minimumPerChunk))
        if n <= 1 {
            flushingDenormals { body(0..<count) }
            return
        }
        // Chunks are disjoint and concurrentPerform returns only when all are done, so sharing the
        // non-Sendable closure (and the pointers it captures) is safe.
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: n) { i in
                flushingDenormals { work(count * i / n..<count * (i + 1) / n) }
            }
        }
    }

    /// `body` with denormals flushed to zero on this thread (FTZ and DAZ), the mode restored after.
    static func flushingDenormals<T>(_ body: () throws -> T) rethrows -> T {
        let saved = nk_flush_denormals_begin()
        defer { nk_flush_denormals_end(saved) }
        return try body()
    }

    /// Splits n items into `parts` contiguous ranges of near-equal size (empty parts dropped).
    static func split(_ n: Int, parts: Int) -> [Range<Int>] {
        let p = max(1, min(parts, n))
        return (0..<p).map { n * $0 / p..<n * ($0 + 1) / p }
    }
}
