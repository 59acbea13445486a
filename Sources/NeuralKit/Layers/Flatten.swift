/// Keras `Flatten`: NHWC samples become vectors in H, W, C order (memory order, so a plain copy).
public struct Flatten: Layer, BlockedLayoutLayer {
    public let name: String
    public var activation: Activation { .linear }

    public init(name: String) { self.name = name }

    public func outputShape(for input: [Int]) throws -> [Int] { [input.reduce(1, *)] }
    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] { [] }
    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        CopyKernel(count: batch * input.reduce(1, *))
    }

    func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources,
                    layouts: (input: ActivationLayout, output: ActivationLayout)) throws -> any LayerKernel {
        guard layouts.input == .blocked16 else {
            return try makeKernel(input: input, batch: batch, training: training, resources: resources)
        }
        return UnblockKernel(batch: batch, height: input[0], width: input[1], channels: input[2])
    }

    func canRead(_ layout: ActivationLayout, input: [Int]) -> Bool {
        layout == .nhwc || (input.count == 3 && input[2] % 16 == 0)
    }

    /// The output is flat, in Keras' H, W, C order.
    func canWrite(_ layout: ActivationLayout, input: [Int]) -> Bool { layout == .nhwc }
}

/// Flatten of an NHWC input: a plain copy (memory order is already H, W, C).
final class CopyKernel: LayerKernel {
    let count: Int
    init(count: Int) { self.count = count }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        output.update(from: input, count: count)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        inputGrad?.update(from: outputGrad, count: count)
    }
}
