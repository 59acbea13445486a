import Foundation

/// A linear axis: a data range mapped onto a pixel interval, with "nice" tick values
/// (steps of 1, 2 or 5 times a power of ten) so labels read like 0.2, 0.4 rather than 0.23, 0.46.
/// Pure maths shared by both charts; no cairo.
struct ChartScale: Sendable, Equatable {
    var lower: Double
    var upper: Double
    /// Pixel positions of `lower` and `upper` (for a y axis `start` is the bottom, so start > end).
    var start: Double
    var end: Double

    /// Data value to pixel. A zero-width range maps everything to the middle.
    func pixel(_ value: Double) -> Double {
        let span = upper - lower
        guard span > 0 else { return (start + end) / 2 }
        return start + (value - lower) / span * (end - start)
    }

    /// Pixel back to data (for tests and hit testing).
    func value(atPixel pixel: Double) -> Double {
        guard end != start else { return lower }
        return lower + (pixel - start) / (end - start) * (upper - lower)
    }

    /// The smallest step of the form {1, 2, 5} x 10^k that is at least `raw` (raw > 0).
    static func niceStep(atLeast raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let magnitude = pow10(Int((log10(raw)).rounded(.down)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * magnitude >= raw * (1 - 1e-12) {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// A range that covers `low...high`, widened to multiples of a nice step, with at most
    /// max(`maxTicks`, 3) ticks (a range across zero needs 3). A single value gets a small range around it.
    static func nice(_ low: Double, _ high: Double, maxTicks: Int) -> (lower: Double, upper: Double, step: Double) {
        var low = low, high = high
        if !low.isFinite || !high.isFinite { return (0, 1, 0.5) }
        if low > high { swap(&low, &high) }
        if high - low < max(abs(high), abs(low), 1e-9) * 1e-9 {
            // One value (or several equal ones): pad by 10 % of it, so ticks have something to divide.
            let pad = abs(low) > 0 ? abs(low) * 0.1 : 0.5
            low -= pad; high += pad
        }
        let intervals = Double(max(2, maxTicks - 1))
        var step = niceStep(atLeast: (high - low) / intervals)
        // Widening to multiples of the step may need one more interval than planned: grow the step.
        for _ in 0..<64 {  // e.g. 0.99...1.01 in one interval needs a step of 2
            let lower = (low / step).rounded(.down) * step, upper = (high / step).rounded(.up) * step
            if ((upper - lower) / step).rounded() <= intervals { return (lower, upper, step) }
            step = niceStep(atLeast: step * 1.0001)
        }
        return ((low / step).rounded(.down) * step, (high / step).rounded(.up) * step, step)
    }

    /// The multiples of `step` in `lower...upper`, rounded to the step's precision (no 0.30000000000000004).
    static func ticks(lower: Double, upper: Double, step: Double) -> [Double] {
        guard step > 0, lower.isFinite, upper.isFinite, upper >= lower else { return [] }
        let first = (lower / step - 1e-9).rounded(.up), last = (upper / step + 1e-9).rounded(.down)
        guard last >= first, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map {
            let value = ($0 * step * 1e12).rounded() / 1e12
            return value == 0 ? 0 : value  // never "-0.0" on an axis
        }
    }

    /// Decimal places that show `step` exactly (0.05 -> 2, 5 -> 0).
    static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, -Int((log10(step) + 1e-9).rounded(.down)))
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
        return result
    }
}
