/// Keras `Activation(...)` as its own layer, as the write-up's scratch CNN writes it.
public struct ActivationLayer: Layer {
    public let name: String
    public let activation: Activation

    public init(_ activation: Activation, name: String) {
        self.activation = activation
        self.name = name
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        if activation == .softmax && input.count != 1 {
            throw NeuralKitError.shapeMismatch("softmax '\(name)' needs a flat input, got \(input)")
        }
        return input
    }

    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] { [] }

    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        _ = try outputShape(for: input)
        let width = input.last ?? 1
        return ActivationKernel(activation: activation, rows: batch * input.reduce(1, *) / width, width: width)
    }
}

final class ActivationKernel: LayerKernel {
    let activation: Activation
    let rows: Int, width: Int

    init(activation: Activation, rows: Int, width: Int) {
        self.activation = activation; self.rows = rows; self.width = width
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        output.update(from: input, count: rows * width)
        activation.forward(output, rows: rows, width: width)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let dx = inputGrad else { return }
        if !gradIsPreActivation { activation.backward(output: output, grad: outputGrad, rows: rows, width: width) }
        dx.update(from: outputGrad, count: rows * width)
    }
}
