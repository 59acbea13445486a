import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension IsolatedRun {
    /// How a helper failed, as the end of a sentence that names the file: "plugin X: crashed
    /// (SIGSEGV) while loading", "vgg16.h5: took longer than 60 s to read".
    public enum Failure: Sendable, Equatable, CustomStringConvertible {
        case timedOut(seconds: Double)
        case outOfMemory(megabytes: Int)
        case crashed(signal: Int32)
        case exited(status: Int32)
        case notStarted(String)

        public var description: String {
            switch self {
            case .timedOut(let seconds): "took longer than \(Self.seconds(seconds))"
            case .outOfMemory(let megabytes): "needs more than \(megabytes) MB"
            case .crashed(let signal): "crashed (\(Self.signalName(signal)))"
            case .exited(let status): "exited with status \(status)"
            case .notStarted(let message): message
            }
        }

        /// Whether the same file would fail the same way again: a crash, a hang or an exit is the
        /// file's doing; a helper that could not start is not.
        public var isAboutTheFile: Bool {
            if case .notStarted = self { return false }
            return true
        }

        static func seconds(_ value: Double) -> String {
            value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
        }

        public static func signalName(_ signal: Int32) -> String {
            let names: [Int32: String] = [
                SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE",
                SIGTRAP: "SIGTRAP", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP",
                SIGPIPE: "SIGPIPE", SIGSYS: "SIGSYS", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGQUIT: "SIGQUIT",
            ]
            return names[signal] ?? "signal \(signal)"
        }
    }
}

extension IsolatedRun.Outcome {
    /// Phrases allocators print when the memory limit refuses them (Swift's runtime, C++'s
    /// operator new, libhdf5's error stack, glibc's perror).
    static let memoryPhrases = ["could not allocate memory", "bad_alloc", "memory allocation failed",
                                "cannot allocate memory", "out of memory"]

    /// nil when the helper exited with status 0. A helper that died (or gave up) while the
    /// memory limit was what stopped it is reported as `outOfMemory`: its peak was close to the
    /// limit, or its last words were an allocator's.
    public func failure(limits: IsolatedRun.Limits) -> IsolatedRun.Failure? {
        switch termination {
        case .exited(0): return nil
        case .timedOut: return .timedOut(seconds: limits.seconds)
        case .notStarted(let message): return .notStarted(message)
        case .signalled(SIGXCPU): return .timedOut(seconds: limits.seconds)
        case .exited(let status):
            return ranOutOfMemory(limits) ? .outOfMemory(megabytes: limits.memoryMB) : .exited(status: status)
        case .signalled(let signal):
            return ranOutOfMemory(limits) ? .outOfMemory(megabytes: limits.memoryMB) : .crashed(signal: signal)
        }
    }

    private func ranOutOfMemory(_ limits: IsolatedRun.Limits) -> Bool {
        if let peakMemoryKB, peakMemoryKB >= limits.memoryMB * 1024 * 9 / 10 { return true }
        let noise = String(decoding: stderr, as: UTF8.self).lowercased()
        return Self.memoryPhrases.contains { noise.contains($0) }
    }

    /// The helper's standard error as one bounded line, for a message's tail.
    public var lastWords: String {
        let text = String(decoding: stderr, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let last = lines.last else { return "" }
        return last.count > 200 ? String(last.prefix(200)) + "…" : last
    }
}
