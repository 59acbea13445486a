import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The most memory TribeLens lets one process use for photos, whatever a folder holds
/// (docs/reliability.md): 2 GiB, or less where the machine has less to give: half the memory
/// available when first asked (`MemAvailable`), what the cgroup still allows (`memory.max`), or
/// the address space left under RLIMIT_AS. `TRIBELENS_MEMORY_LIMIT` (bytes, or with K/M/G)
/// sets another ceiling, still capped by what the system allows.
public enum MemoryCeiling {
    public static let defaultBytes = 2 << 30

    /// Bytes the process keeps for itself beyond photos: code, OpenCV, detectors, thread stacks.
    static let processReserve = 160 << 20

    /// The ceiling for this process and the bytes left for decoding under it.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> (ceiling: Int, forPhotos: Int) {
        var ceiling = defaultBytes
        if let text = environment["TRIBELENS_MEMORY_LIMIT"], let bytes = parse(text) { ceiling = bytes }
        if let available = meminfo("MemAvailable") { ceiling = min(ceiling, available / 2) }
        let resident = selfStatus("VmRSS") ?? 0
        if let cgroup = cgroupHeadroom() { ceiling = min(ceiling, resident + cgroup) }
        var forPhotos = ceiling - max(resident, processReserve)
        if let headroom = addressSpaceHeadroom() {
            // Virtual size counts reserved, untouched address space (malloc arenas, stacks):
            // keep a margin for what the decode's threads reserve.
            forPhotos = min(forPhotos, headroom - (256 << 20))
        }
        return (ceiling, max(forPhotos, 0))
    }

    /// "1500000000", "1.5G", "800M", "64k".
    static func parse(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824]
        var number = Substring(t), scale = 1.0
        if let last = t.last, let unit = units[last] { number = t.dropLast(); scale = unit }
        if number.hasSuffix("I") || number.hasSuffix("B") { return nil }
        guard let value = Double(number), value > 0, value * scale < 9e18 else { return nil }
        return Int(value * scale)
    }

    static func meminfo(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let kb = line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return kb.flatMap { Int($0) }.map { $0 << 10 }
        }
        return nil
    }

    static func selfStatus(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let kb = line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return kb.flatMap { Int($0) }.map { $0 << 10 }
        }
        return nil
    }

    /// What the process's cgroup (v2) still allows: memory.max - memory.current.
    static func cgroupHeadroom() -> Int? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
              let line = membership.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        let folder = "/sys/fs/cgroup" + line.dropFirst(3)
        guard let maxText = try? String(contentsOfFile: folder + "/memory.max", encoding: .utf8),
              let limit = Int(maxText.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }  // "max": none
        let used = (try? String(contentsOfFile: folder + "/memory.current", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        return max(limit - used, 0)
    }

    /// RLIMIT_AS minus the current virtual size, if there is a limit.
    static func addressSpaceHeadroom() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        let cap = limit.rlim_cur > UInt64(Int.max) ? Int.max : Int(limit.rlim_cur)
        return max(cap - (selfStatus("VmSize") ?? 0), 0)
    }
}

/// The bytes of the photo budget handed out to decodes in progress, shared by every thread of
/// the process: a worker whose photo does not fit next to the others' waits for them, and a
/// photo that could never fit is refused (or decoded smaller) instead of taking the process down.
public final class MemoryReservations: @unchecked Sendable {
    public static let shared = MemoryReservations(capacity: MemoryCeiling.current().forPhotos)

    public let capacity: Int
    private var inUse = 0
    private let condition = NSCondition()

    public init(capacity: Int) { self.capacity = capacity }

    /// Blocks until `bytes` fit next to the other reservations; `body` runs holding them.
    /// `bytes` must be at most `capacity` (the caller planned within it). A thread that already
    /// holds a reservation is not made to wait for a second one (it would wait for itself).
    func holding<R, E: Error>(_ bytes: Int, _ body: () throws(E) -> R) throws(E) -> R {
        if Self.held { return try body() }
        let amount = min(max(bytes, 0), capacity)
        condition.lock()
        while inUse + amount > capacity { condition.wait() }
        inUse += amount
        condition.unlock()
        Self.held = true
        defer {
            Self.held = false
            condition.lock()
            inUse -= amount
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }

    private static let heldKey = "io.github.tribelens.memory-reservation"
    private static var held: Bool {
        get { Thread.current.threadDictionary[heldKey] != nil }
        set { Thread.current.threadDictionary[heldKey] = newValue ? true : nil }
    }
}
