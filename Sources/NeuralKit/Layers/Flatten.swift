/// Keras `Flatten`: NHWC samples become vectors in H, W, C order (memory order, so a plain copy).
public struct Flatten: Layer {
    public let name: String
    public var activation: Activation { .linear }

    public init(name: String) { self.name = name }

    public func outputShape(for input: [Int]) throws -> [Int] { [input.reduce(1, *)] }
    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] { [] }
    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        CopyKernel(count: batch * input.reduce(1, *))
    }
}

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
