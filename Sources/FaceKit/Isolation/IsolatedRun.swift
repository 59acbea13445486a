import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a helper executable on something the process must not trust a library with (a plugin
/// for the dynamic loader, a Keras file for libhdf5), so that a crash, a hang or a runaway
/// allocation ends the helper, not the app (docs/reliability.md).
///
/// The helper is started with `posix_spawn` (fork in a multi-threaded Swift process would copy
/// locks held by other threads), in its own process group (a Ctrl+C in the terminal must not be
/// mistaken for a crash of the file), with every signal at its default, standard input on
/// /dev/null, and standard output and error captured. Its first arguments are
/// `--cpu-seconds S --memory-mb M`, which the helper applies to itself with `setrlimit` before
/// doing any work; the parent adds the wall-clock limit and kills the whole group with SIGKILL
/// when it is reached.
public struct IsolatedRun: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Wall-clock seconds (and, rounded up, CPU seconds).
        public var seconds: Double
        /// Heap and anonymous memory the helper may allocate (RLIMIT_DATA).
        public var memoryMB: Int

        public init(seconds: Double, memoryMB: Int) {
            self.seconds = seconds
            self.memoryMB = memoryMB
        }
    }

    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed by the parent at the wall-clock limit.
        case timedOut
        /// posix_spawn failed (the helper is missing or not executable).
        case notStarted(String)
    }

    public struct Outcome: Sendable {
        public var termination: Termination
        /// The helper's verdict (the first `maximumOutputBytes`).
        public var stdout: Data
        /// Noise, including whatever the untrusted code printed (the last `maximumOutputBytes`).
        public var stderr: Data
        /// Peak resident memory of the helper's worker in kB, from the "peak-kb N" line the
        /// helpers' supervisor appends to standard output (`tl_probe_supervise`); nil without it.
        /// Not wait4's ru_maxrss: posix_spawn shares the parent's address space until exec, and
        /// the kernel then counts the parent's high-water mark as the child's.
        public var peakMemoryKB: Int?
        public var seconds: Double
    }

    public let executable: URL
    public var maximumOutputBytes = 1 << 20

    public init(executable: URL) {
        self.executable = executable
    }

    /// Starts the helper with `arguments` after the limit flags and waits for it (at most
    /// `limits.seconds` plus the time a SIGKILL takes). Never throws: every way a child can
    /// end is an `Outcome`.
    public func run(_ arguments: [String], limits: Limits) -> Outcome {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
        let cpuSeconds = max(1, Int(limits.seconds.rounded(.up)) + 1)
        let argv = [executable.path, "--cpu-seconds", String(cpuSeconds), "--memory-mb", String(limits.memoryMB)] + arguments

        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard Self.pipeCloseOnExec(&out), Self.pipeCloseOnExec(&err) else {
            for fd in out + err where fd >= 0 { close(fd) }
            return Outcome(termination: .notStarted("cannot create a pipe: \(String(cString: strerror(errno)))"),
                           stdout: Data(), stderr: Data(), peakMemoryKB: nil, seconds: elapsed())
        }
        var pid = pid_t()
        let spawnError = Self.spawn(argv, environment: Self.childEnvironment(), stdout: out[1], stderr: err[1], pid: &pid)
        close(out[1])
        close(err[1])
        guard spawnError == 0 else {
            close(out[0])
            close(err[0])
            return Outcome(termination: .notStarted("cannot start \(executable.path): \(String(cString: strerror(spawnError)))"),
                           stdout: Data(), stderr: Data(), peakMemoryKB: nil, seconds: elapsed())
        }

        var stdoutBuffer = CappedBuffer(limit: maximumOutputBytes, keep: .head)
        var stderrBuffer = CappedBuffer(limit: maximumOutputBytes, keep: .tail)
        let deadline = started + UInt64(limits.seconds * 1e9)
        var status: Int32 = 0
        var exited = false
        var timedOut = false
        var open: [Int32] = [out[0], err[0]]
        while !exited {
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline {
                timedOut = true
                break
            }
            // Short polls: a grandchild may hold the pipes open after the helper has exited.
            let wait = Int32(min(50, (deadline - now) / 1_000_000 + 1))
            if open.isEmpty {
                usleep(UInt32(min(5, Int(wait)) * 1000))
            } else {
                var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
                _ = poll(&fds, nfds_t(fds.count), wait)
                for entry in fds where entry.revents != 0 {
                    let ended = entry.fd == out[0] ? stdoutBuffer.read(from: entry.fd) : stderrBuffer.read(from: entry.fd)
                    if ended { open.removeAll { $0 == entry.fd } }
                }
            }
            if Self.reap(pid, &status, block: false) { exited = true }
        }
        if timedOut {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = Self.reap(pid, &status, block: true)
        } else {
            // What the helper wrote before it exited is in the pipes: take it without waiting
            // for writers that may have survived it, then end those.
            for fd in open {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fd == out[0] ? stdoutBuffer.read(from: fd, untilEmpty: true) : stderrBuffer.read(from: fd, untilEmpty: true)
            }
            kill(-pid, SIGKILL)
        }
        close(out[0])
        close(err[0])

        let termination: Termination
        if timedOut {
            termination = .timedOut
        } else if status & 0x7f == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signalled(status & 0x7f)
        }
        let (report, peak) = Self.splitPeak(stdoutBuffer.data)
        return Outcome(termination: termination, stdout: report, stderr: stderrBuffer.data, peakMemoryKB: peak, seconds: elapsed())
    }

    /// The report without the supervisor's last line "peak-kb N", and N.
    static func splitPeak(_ output: Data) -> (Data, Int?) {
        var lines = output.split(separator: 0x0A, omittingEmptySubsequences: false)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let last = lines.last, let text = String(data: Data(last), encoding: .utf8), text.hasPrefix("peak-kb "),
              let kilobytes = Int(text.dropFirst(8)) else { return (output, nil) }
        lines.removeLast()
        return (Data(lines.map { Data($0) + Data([0x0A]) }.joined()), kilobytes)
    }

    /// The parent's environment, with Swift's crash backtracer off: it would attach to the
    /// crashed helper, print pages and take seconds, for code that is not ours.
    static func childEnvironment() -> [String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        return environment.map { "\($0.key)=\($0.value)" }
    }

    private static func pipeCloseOnExec(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        // Close-on-exec, so that helpers started at the same time from other threads do not
        // inherit each other's pipes (and keep them open past their exit).
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private static func spawn(_ argv: [String], environment: [String], stdout: Int32, stderr: Int32, pid: inout pid_t) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        // Ignored signals survive exec (the CLI ignores SIGINT during training): reset them all.
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        return posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
    }

    /// waitpid; true once the helper has exited.
    private static func reap(_ pid: pid_t, _ status: inout Int32, block: Bool) -> Bool {
        while true {
            let result = waitpid(pid, &status, block ? 0 : WNOHANG)
            if result == pid { return true }
            if result == 0 { return false }
            if errno != EINTR { return true }  // ECHILD: someone else reaped it; nothing to wait for
        }
    }
}

/// Output of a helper, bounded: a helper (or the code it runs) printing without end must not
/// exhaust the parent's memory.
struct CappedBuffer {
    enum Keep { case head, tail }
    let limit: Int
    let keep: Keep
    private(set) var data = Data()

    init(limit: Int, keep: Keep) {
        self.limit = limit
        self.keep = keep
    }

    /// Reads what `fd` has (once, or until it would block); true at end of file.
    mutating func read(from fd: Int32, untilEmpty: Bool = false) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        repeat {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return true }
            if n < 0 {
                if errno == EINTR { continue }
                return errno != EAGAIN  // a real error ends the stream like end of file
            }
            append(chunk[0..<n])
        } while untilEmpty
        return false
    }

    private mutating func append(_ bytes: ArraySlice<UInt8>) {
        switch keep {
        case .head:
            if data.count < limit { data.append(contentsOf: bytes.prefix(limit - data.count)) }
        case .tail:
            data.append(contentsOf: bytes)
            if data.count > limit { data = data.suffix(limit) }
        }
    }
}
