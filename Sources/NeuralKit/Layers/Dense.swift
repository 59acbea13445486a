/// Keras `Dense`: y = act(x W + b), kernel [in, out], bias [out]. Input must be rank 1 per sample
/// (use `Flatten` before it, as Keras requires for images).
public struct Dense: Layer {
    public let name: String
    public let units: Int
    public let activation: Activation

    public init(_ units: Int, activation: Activation = .linear, name: String) {
        self.units = units
        self.activation = activation
        self.name = name
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.count == 1 else {
            throw NeuralKitError.shapeMismatch("Dense '\(name)' needs a flat input, got \(input); add Flatten")
        }
        guard units > 0 else { throw NeuralKitError.invalidConfiguration("Dense '\(name)' has \(units) units") }
        return [units]
    }

    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] {
        let fanIn = input.reduce(1, *)
        return [
            ParameterSpec(name: "\(name)/kernel", shape: [fanIn, units],
                          initializer: .glorotUniform(fanIn: fanIn, fanOut: units)),
            ParameterSpec(name: "\(name)/bias", shape: [units], initializer: .zeros),
        ]
    }

    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        _ = try outputShape(for: input)
        return try DenseKernel(inputs: input[0], units: units, batch: batch, activation: activation, training: training,
                               resources: resources)
    }
}
