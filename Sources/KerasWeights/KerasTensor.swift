/// One weight array from a Keras file, in Keras' own layout (a Conv2D kernel is
/// (kh, kw, in, out), a Dense kernel (in, out), a bias (out)).
public struct KerasTensor: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "\(name): \(values.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// A layer's weights in the order Keras lists them (kernel, then bias).
public struct KerasLayerWeights: Sendable, Equatable {
    public let name: String
    public let tensors: [KerasTensor]

    public init(name: String, tensors: [KerasTensor]) {
        self.name = name
        self.tensors = tensors
    }
}

/// What a caller expects of a layer: its name and the shape of each weight, in order.
public struct KerasLayerSpec: Sendable, Equatable {
    public let name: String
    public let shapes: [[Int]]

    public init(name: String, shapes: [[Int]]) {
        self.name = name
        self.shapes = shapes
    }

    /// A Conv2D layer with a bias.
    public static func conv(_ name: String, kernel: Int, in channels: Int, out filters: Int) -> KerasLayerSpec {
        KerasLayerSpec(name: name, shapes: [[kernel, kernel, channels, filters], [filters]])
    }
}

/// A Keras weights problem, as one line naming the file and what is wrong.
public struct KerasWeightsError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
