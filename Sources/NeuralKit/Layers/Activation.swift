import Foundation

/// Keras' activations that the write-up's networks use. Backward passes are written in terms of the
/// activation's output `y`, so the pre-activation never needs to be kept. Single-threaded: they run
/// inside a batch shard (see Parallel).
public enum Activation: String, Sendable, Codable, CaseIterable {
    case linear, relu, sigmoid, softmax

    /// Applies the activation in place to `rows` rows of `width` values.
    func forward(_ v: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let total = rows * width
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<total where !(v[i] > 0) { v[i] = 0 }
        case .sigmoid:
            for i in 0..<total { v[i] = 1 / (1 + expf(-v[i])) }
        case .softmax:
            for row in 0..<rows {
                let p = v + row * width
                var m = -Float.infinity
                for j in 0..<width where p[j] > m { m = p[j] }
                var s: Float = 0
                for j in 0..<width { p[j] = expf(p[j] - m); s += p[j] }
                let inv = 1 / s
                for j in 0..<width { p[j] *= inv }
            }
        }
    }

    /// Turns dL/dy (in `g`) into dL/dz in place, given the activation output `y`.
    func backward(output y: UnsafePointer<Float>, grad g: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let total = rows * width
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<total where !(y[i] > 0) { g[i] = 0 }
        case .sigmoid:
            for i in 0..<total { g[i] *= y[i] * (1 - y[i]) }
        case .softmax:
            for row in 0..<rows {
                let yp = y + row * width, gp = g + row * width
                var dot: Float = 0
                for j in 0..<width { dot += yp[j] * gp[j] }
                for j in 0..<width { gp[j] = yp[j] * (gp[j] - dot) }
            }
        }
    }
}
