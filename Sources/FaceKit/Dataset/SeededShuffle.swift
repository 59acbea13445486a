import BackendABI

/// A small deterministic generator (SplitMix64) and Fisher-Yates shuffle written out here, so a
/// seed gives the same split on every platform and Swift version (the standard library's
/// `shuffle(using:)` algorithm is not promised to stay the same).
public struct SeededGenerator: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64 as the plugin contract defines it (`tl_splitmix64`), so host and plugins agree.
    public mutating func next() -> UInt64 { tl_splitmix64(&state) }

    /// Uniform in 0..<bound, without modulo bias (rejection sampling).
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let value = next()
            if value < limit { return Int(value % b) }
        }
    }

    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, next(below: i + 1))
        }
    }
}
