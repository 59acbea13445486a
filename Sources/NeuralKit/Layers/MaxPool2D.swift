/// Keras `MaxPooling2D(pool_size=(2, 2))`: stride 2, `valid` (odd trailing rows/columns dropped).
public struct MaxPool2D: Layer, BlockedLayoutLayer {
    public let name: String
    public var activation: Activation { .linear }

    public init(name: String) { self.name = name }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.count == 3, input[0] >= 2, input[1] >= 2 else {
            throw NeuralKitError.shapeMismatch("MaxPool2D '\(name)' needs an HxWxC input with H, W >= 2, got \(input)")
        }
        return [input[0] / 2, input[1] / 2, input[2]]
    }

    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] { [] }

    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        try makeKernel(input: input, batch: batch, training: training, resources: resources, layouts: (.nhwc, .nhwc))
    }

    func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources,
                    layouts: (input: ActivationLayout, output: ActivationLayout)) throws -> any LayerKernel {
        _ = try outputShape(for: input)
        return MaxPoolKernel(batch: batch, height: input[0], width: input[1], channels: input[2], training: training,
                             layouts: layouts)
    }

    func canRead(_ layout: ActivationLayout, input: [Int]) -> Bool {
        layout == .nhwc || (input.count == 3 && input[2] % 16 == 0)
    }

    func canWrite(_ layout: ActivationLayout, input: [Int]) -> Bool { canRead(layout, input: input) }
}
