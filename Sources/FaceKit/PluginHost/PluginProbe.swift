import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks plugin files in a child process (`tribelens-probe plugin FILE`) before the host
/// dlopens any of them: a library whose constructor aborts, writes to NULL, loops, calls exit or
/// prints, a malformed ELF, an entry symbol that is a variable or an entry point that returns
/// garbage then ends or hangs the child, and the host lists the file as refused with the signal
/// or the time limit as the reason (docs/reliability.md). A file that passes is then loaded by
/// the host's own `PluginLoader`, which checks its table as before. Verdicts are remembered per
/// file (`PluginVerdictCache`), so a start with unchanged plugins starts no child at all.
public struct PluginProbe: Sendable {
    /// The helper; nil when it is not installed, which refuses every plugin (fail closed).
    public var runner: IsolatedRun?
    public var limits: IsolatedRun.Limits
    /// nil: nothing remembered (every call checks every file).
    public var cache: PluginVerdictCache?

    /// Loading a plugin takes well under a second; 10 s leaves room for a busy machine.
    /// 2 GB of heap is far more than a table needs and far less than the machine has.
    public static let defaultLimits = IsolatedRun.Limits(seconds: 10, memoryMB: 2048)

    public init(runner: IsolatedRun?, limits: IsolatedRun.Limits = PluginProbe.defaultLimits, cache: PluginVerdictCache?) {
        self.runner = runner
        self.limits = limits
        self.cache = cache
    }

    /// The installed helper, and the user's cache.
    public static func standard() -> PluginProbe {
        let runner = HelperExecutable.runner(HelperExecutable.probe)
        return PluginProbe(runner: runner, cache: PluginVerdictCache(file: PluginVerdictCache.standardFile,
                                                                     checker: PluginVerdictCache.checker(probe: runner?.executable)))
    }

    public struct Checked: Sendable {
        public var url: URL
        public var verdict: PluginVerdict
        /// A child process was started for this file now (false: remembered, or refused unopened).
        public var probed: Bool
    }

    // One check of the cache file at a time in this process: a second discovery waits and then
    // finds the first one's verdicts instead of probing the same files again.
    private static let lock = NSLock()

    /// A verdict for each file, in order. Files that are not regular (FIFOs, sockets, devices)
    /// are refused from `stat` alone, never opened.
    public func check(_ urls: [URL]) -> [Checked] {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        let stored = cache?.load() ?? [:]
        var entries = stored
        var results: [Checked?] = Array(repeating: nil, count: urls.count)
        var pending: [(index: Int, key: String, status: FileStatus)] = []
        for (index, url) in urls.enumerated() {
            let path = url.path
            guard let info = PluginFileType.status(path) else {
                results[index] = Checked(url: url, verdict: .refused(.unreadable, "plugin \(path): cannot be read"), probed: false)
                continue
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                results[index] = Checked(url: url, verdict: .refused(.notRegularFile,
                    "plugin \(path): not a regular file (\(PluginFileType.name(info.st_mode))); skipped without opening it"), probed: false)
                continue
            }
            let key = url.resolvingSymlinksInPath().path
            let status = FileStatus(info)
            if let entry = entries[key], entry.status == status {
                results[index] = Checked(url: url, verdict: entry.verdict, probed: false)
                continue
            }
            pending.append((index, key, status))
        }

        // Files whose status changed: hashed, and checked in a child unless the bytes are the
        // ones remembered; as many at a time as there are cores (each thread waits on its own
        // child).
        let done = WorkSlots()
        let work = pending.map { (url: urls[$0.index], known: entries[$0.key], size: $0.status.size) }
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            let item = work[i]
            guard let sha256 = try? ContentHash.sha256(ofFile: item.url) else {
                return done.set(i, (.refused(.unreadable, "plugin \(item.url.path): cannot be read"), nil, false))
            }
            if let known = item.known, known.status.size == item.size, known.sha256 == sha256 {
                return done.set(i, (known.verdict, sha256, false))
            }
            done.set(i, (probe(item.url), sha256, true))
        }
        for (i, item) in pending.enumerated() {
            let (verdict, sha256, probed) = done.get(i)
            results[item.index] = Checked(url: urls[item.index], verdict: verdict, probed: probed)
            if let sha256, verdict.isAboutTheFile {
                entries[item.key] = PluginVerdictCache.Entry(status: item.status, sha256: sha256, verdict: verdict)
            } else {
                entries[item.key] = nil
            }
        }
        if let cache {
            // Entries of files that are gone are dropped, so the cache does not grow forever;
            // others stay (another search path may list them).
            let seen = Set(urls.map { $0.resolvingSymlinksInPath().path })
            let kept = entries.filter { seen.contains($0.key) || FileManager.default.fileExists(atPath: $0.key) }
            if kept != stored { cache.save(kept) }
        }
        return results.map { $0! }
    }

    /// What `tribelens-probe` reports when it got through (see its source).
    struct Report: Decodable {
        var dlopen: Bool
        /// "unchecked" (dlopen failed), "missing", "variable" or "function".
        var entry: String
        var table: Bool?
        var id: String?
        var abi: String?
        /// Bytes the plugin wrote to standard output while loading.
        var printed: Int
    }

    /// Runs the helper on one file and turns how it ended into a verdict.
    func probe(_ url: URL) -> PluginVerdict {
        let path = url.path
        let name = HelperExecutable.probe
        guard let runner else {
            let places = HelperExecutable.places(name).joined(separator: ", ")
            return .refused(.probeFailed, "plugin \(path): not loaded, because \(name), which checks plugins in a "
                            + "separate process first, is not installed (looked for \(places.isEmpty ? "it" : places))")
        }
        let outcome = runner.run(["plugin", path], limits: limits)
        let report = try? JSONDecoder().decode(Report.self, from: outcome.stdout)
        let failure = outcome.failure(limits: limits)
        if failure == nil, let report {
            if report.printed > 0 {
                return .refused(.writesToStdout, "plugin \(path): wrote \(report.printed) bytes to standard output while loading; "
                                + "the plugin ABI forbids it (it would corrupt the output of tribelens-cli)")
            }
            if report.entry == "variable" {
                return .refused(.notAFunction, "plugin \(path): \(PluginABI.entrySymbol) is not a function but a variable")
            }
            return .accepted(id: report.id, abi: report.abi)
        }
        // The helper's own ways of giving up (it could not limit itself; its parent vanished).
        if case .exited(let status) = outcome.termination, [2, 124, 125].contains(status) {
            return .refused(.probeFailed, "plugin \(path): not loaded: \(name) could not check it (\(outcome.lastWords))")
        }
        let when = report == nil ? "while loading" : "when unloaded at exit"
        let words = outcome.lastWords.isEmpty ? "" : " (last output: \(outcome.lastWords))"
        let tail = " in a separate process, so it was not loaded\(words)"
        switch failure ?? .exited(status: 0) {
        case .timedOut(let seconds):
            return .refused(.timedOut, "plugin \(path): took longer than \(IsolatedRun.Failure.seconds(seconds)) \(when)\(tail)")
        case .outOfMemory(let megabytes):
            return .refused(.outOfMemory, "plugin \(path): needs more than \(megabytes) MB \(when)\(tail)")
        case .crashed(let signal):
            return .refused(.crashed, "plugin \(path): crashed (\(IsolatedRun.Failure.signalName(signal))) \(when)\(tail)")
        case .exited(let status):
            return .refused(.exitedWhileLoading, "plugin \(path): exited with status \(status) \(when)\(tail)")
        case .notStarted(let message):
            return .refused(.probeFailed, "plugin \(path): not loaded: \(message)")
        }
    }
}

/// Results that concurrent iterations write, each under its own index.
private final class WorkSlots: @unchecked Sendable {
    typealias Result = (verdict: PluginVerdict, sha256: String?, probed: Bool)
    // @unchecked: every access holds the lock.
    private let lock = NSLock()
    private var values: [Int: Result] = [:]

    func set(_ index: Int, _ value: Result) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> Result { lock.withLock { values[index]! } }
}
