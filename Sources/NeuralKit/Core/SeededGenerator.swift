// Deterministic random numbers (SplitMix64). Our own generator, not Keras': the same seed gives the
// same weights and shuffles on every platform and Swift version, which Swift's
// SystemRandomNumberGenerator and Array.shuffle do not promise.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits (every value exactly representable in Float).
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [-limit, limit).
    public mutating func nextFloat(limit: Float) -> Float {
        (nextUnitFloat() * 2 - 1) * limit
    }

    /// Uniform integer in 0..<n without modulo bias.
    public mutating func nextIndex(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let r = next()
            if r >= threshold { return Int(r % bound) }
        }
    }

    /// A Fisher-Yates permutation of 0..<n (our own so it never changes with the standard library).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, nextIndex(below: i + 1))
        }
        return p
    }
}
