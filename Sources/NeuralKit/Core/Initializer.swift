// Keras 3 default initialisers: glorot_uniform for kernels, zeros for biases.
public enum Initializer: Sendable, Equatable {
    case zeros
    /// Uniform in [-sqrt(6 / (fanIn + fanOut)), +sqrt(6 / (fanIn + fanOut))].
    case glorotUniform(fanIn: Int, fanOut: Int)

    public var limit: Float {
        switch self {
        case .zeros: return 0
        case .glorotUniform(let fanIn, let fanOut): return (6.0 / Float(fanIn + fanOut)).squareRoot()
        }
    }

    func fill(count: Int, using generator: inout SeededGenerator) -> [Float] {
        switch self {
        case .zeros:
            return [Float](repeating: 0, count: count)
        case .glorotUniform:
            let l = limit
            return (0..<count).map { _ in generator.nextFloat(limit: l) }
        }
    }
}
