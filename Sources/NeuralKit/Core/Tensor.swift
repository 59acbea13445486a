// A dense float32 tensor with value semantics (copy-on-write through Array). Images are NHWC,
// like Keras; a tensor's first dimension is the batch when it holds several samples.
public struct Tensor: Sendable, Equatable {
    public let shape: [Int]
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw NeuralKitError.shapeMismatch("negative dimension in \(shape)")
        }
        let count = Tensor.elementCount(shape)
        guard count == scalars.count else {
            throw NeuralKitError.shapeMismatch("shape \(shape) needs \(count) values, got \(scalars.count)")
        }
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: 0, count: Tensor.elementCount(shape))
    }

    public var count: Int { scalars.count }

    static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }
}
