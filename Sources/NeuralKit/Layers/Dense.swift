import CBLAS

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
        return DenseKernel(inputs: input[0], units: units, batch: batch, activation: activation)
    }
}

final class DenseKernel: LayerKernel {
    let inputs: Int, units: Int, batch: Int
    let activation: Activation

    init(inputs: Int, units: Int, batch: Int, activation: Activation) {
        self.inputs = inputs; self.units = units; self.batch = batch; self.activation = activation
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        let w = parameters[0], b = parameters[1]
        let n = Int32(batch), k = Int32(inputs), m = Int32(units)
        // Bias first, then accumulate x W on top of it (beta = 1).
        for r in 0..<batch { (output + r * units).update(from: b, count: units) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, k, 1, input, k, w, m, 1, output, m)
        activation.forward(output, rows: batch, width: units)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        if !gradIsPreActivation { activation.backward(output: output, grad: outputGrad, rows: batch, width: units) }
        let n = Int32(batch), k = Int32(inputs), m = Int32(units)
        if let grads = parameterGrads {
            // dW = x^T dz ; db = column sums of dz
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, m, n, 1, input, k, outputGrad, m, 0, grads[0], m)
            let db = grads[1]
            db.update(repeating: 0, count: units)
            for r in 0..<batch {
                let row = outputGrad + r * units
                for j in 0..<units { db[j] += row[j] }
            }
        }
        if let dx = inputGrad {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, k, m, 1, outputGrad, m, parameters[0], m, 0, dx, k)
        }
    }
}
