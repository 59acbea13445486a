import CDNNL

/// The three products as oneDNN matmuls (its AVX-512 "brgemm" kernels), not OpenBLAS: on the
/// scratch CNN's first dense layer (16 x 2048 by 2048 x 256 per core) they ran 1.2-1.6x faster than
/// OpenBLAS's best kernels here, and they do not depend on `OPENBLAS_CORETYPE` (docs/neuralkit.md).
/// Transposed operands are views of the same buffers.
final class DenseKernel: LayerKernel {
    let inputs: Int, units: Int, batch: Int
    let activation: Activation
    let stream: DNNLStream
    // Views of our buffers, pointed at them before each call.
    private let x: DNNLMemory, w: DNNLMemory, b: DNNLMemory, y: DNNLMemory
    private let forwardProduct: DNNLPrimitive

    private struct Backward {
        let xT: DNNLMemory, dy: DNNLMemory, dw: DNNLMemory, wT: DNNLMemory, dx: DNNLMemory
        let weightsProduct: DNNLPrimitive  // dW = xᵀ dy
        let dataProduct: DNNLPrimitive     // dx = dy Wᵀ
    }
    private let backwardParts: Backward?

    init(inputs: Int, units: Int, batch: Int, activation: Activation, training: Bool, resources: KernelResources) throws {
        self.inputs = inputs; self.units = units; self.batch = batch; self.activation = activation
        stream = resources.stream
        let engine = resources.engine
        func view(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> DNNLMemory {
            try DNNLMemory(desc: try dnnlDesc(dims, tag), engine: engine)
        }
        x = try view([batch, inputs], dnnl_ab)
        w = try view([inputs, units], dnnl_ab)
        b = try view([1, units], dnnl_ab)
        y = try view([batch, units], dnnl_ab)
        forwardProduct = try dnnlMatmul(x, w, y, bias: b, resources: resources)
        if training {
            let xT = try view([inputs, batch], dnnl_ba), dy = try view([batch, units], dnnl_ab)
            let dw = try view([inputs, units], dnnl_ab), wT = try view([units, inputs], dnnl_ba)
            let dx = try view([batch, inputs], dnnl_ab)
            backwardParts = Backward(xT: xT, dy: dy, dw: dw, wT: wT, dx: dx,
                                     weightsProduct: try dnnlMatmul(xT, dy, dw, resources: resources),
                                     dataProduct: try dnnlMatmul(dy, wT, dx, resources: resources))
        } else {
            backwardParts = nil
        }
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        try x.point(at: input); try w.point(at: parameters[0]); try b.point(at: parameters[1]); try y.point(at: output)
        try forwardProduct.execute(stream, [(DNNL_ARG_SRC, x), (DNNL_ARG_WEIGHTS, w), (DNNL_ARG_BIAS, b), (DNNL_ARG_DST, y)])
        activation.forward(output, rows: batch, width: units)
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let p = backwardParts else { throw NeuralKitError.backend("Dense backward called on an inference plan") }
        if !gradIsPreActivation { activation.backward(output: output, grad: outputGrad, rows: batch, width: units) }
        try p.dy.point(at: outputGrad)
        if let grads = parameterGrads {
            try p.xT.point(at: input); try p.dw.point(at: grads[0])
            try p.weightsProduct.execute(stream, [(DNNL_ARG_SRC, p.xT), (DNNL_ARG_WEIGHTS, p.dy), (DNNL_ARG_DST, p.dw)])
            // db = column sums of dz
            let db = grads[1]
            db.update(repeating: 0, count: units)
            for r in 0..<batch {
                let row = outputGrad + r * units
                for j in 0..<units { db[j] += row[j] }
            }
        }
        if let dx = inputGrad {
            try p.wT.point(at: parameters[0]); try p.dx.point(at: dx)
            try p.dataProduct.execute(stream, [(DNNL_ARG_SRC, p.dy), (DNNL_ARG_WEIGHTS, p.wT), (DNNL_ARG_DST, p.dx)])
        }
    }
}
