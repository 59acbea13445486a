import CDNNL

public enum Padding: String, Sendable, Codable {
    /// Output has the input's size; TensorFlow puts the odd extra padding row/column at the end.
    case same
    /// No padding: output is input - kernel + 1.
    case valid
}

/// Keras `Conv2D` with stride 1: kernel [kh, kw, cin, cout] (HWIO), bias [cout], NHWC data.
public struct Conv2D: Layer {
    public let name: String
    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let padding: Padding
    public let activation: Activation

    public init(filters: Int, kernelSize: (Int, Int) = (3, 3), padding: Padding = .same,
                activation: Activation = .linear, name: String) {
        self.filters = filters
        self.kernelSize = (kernelSize.0, kernelSize.1)
        self.padding = padding
        self.activation = activation
        self.name = name
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw NeuralKitError.shapeMismatch("Conv2D '\(name)' needs an HxWxC input, got \(input)")
        }
        guard filters > 0, kernelSize.height > 0, kernelSize.width > 0 else {
            throw NeuralKitError.invalidConfiguration("Conv2D '\(name)' has \(filters) filters of \(kernelSize)")
        }
        guard activation != .softmax else {
            throw NeuralKitError.invalidConfiguration("Conv2D '\(name)': softmax is only supported on flat outputs")
        }
        switch padding {
        case .same: return [input[0], input[1], filters]
        case .valid:
            let h = input[0] - kernelSize.height + 1, w = input[1] - kernelSize.width + 1
            guard h > 0, w > 0 else {
                throw NeuralKitError.shapeMismatch("Conv2D '\(name)': kernel \(kernelSize) larger than input \(input)")
            }
            return [h, w, filters]
        }
    }

    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] {
        let cin = input.count == 3 ? input[2] : 1
        let area = kernelSize.height * kernelSize.width
        return [
            ParameterSpec(name: "\(name)/kernel", shape: [kernelSize.height, kernelSize.width, cin, filters],
                          initializer: .glorotUniform(fanIn: area * cin, fanOut: area * filters)),
            ParameterSpec(name: "\(name)/bias", shape: [filters], initializer: .zeros),
        ]
    }

    public func makeKernel(input: [Int], batch: Int, training: Bool) throws -> any LayerKernel {
        let out = try outputShape(for: input)
        return try ConvKernel(config: self, input: input, output: out, batch: batch, training: training)
    }

    /// (top, left) and (bottom, right) padding, TensorFlow's convention.
    var paddingAmounts: (low: [Int], high: [Int]) {
        guard padding == .same else { return ([0, 0], [0, 0]) }
        let ph = kernelSize.height - 1, pw = kernelSize.width - 1
        return ([ph / 2, pw / 2], [ph - ph / 2, pw - pw / 2])
    }
}

/// Convolution through oneDNN primitives (see docs/neuralkit.md for why not im2col + OpenBLAS).
/// Weights stay in Keras' HWIO layout in our buffers; when oneDNN prefers a blocked layout we reorder
/// into a private copy (once per parameter change) and reorder weight gradients back.
final class ConvKernel: LayerKernel {
    let batch: Int
    let activation: Activation
    let outputCount: Int, outputChannels: Int
    let engine: DNNLEngine
    let stream: DNNLStream

    // Forward.
    let forwardPrimitive: DNNLPrimitive
    let src: DNNLMemory, dst: DNNLMemory, bias: DNNLMemory
    let userWeights: DNNLMemory
    let forwardWeights: DNNLMemory          // == userWeights when no reorder is needed
    let toForwardWeights: DNNLPrimitive?
    private var forwardWeightsFresh = false

    // Backward (training only).
    let backwardData: DNNLPrimitive?
    let backwardDataWeights: DNNLMemory?
    let toBackwardDataWeights: DNNLPrimitive?
    private var backwardWeightsFresh = false
    let backwardWeights: DNNLPrimitive?
    let diffWeights: DNNLMemory?           // oneDNN's layout of dW
    let userDiffWeights: DNNLMemory?       // our HWIO gradient buffer
    let fromDiffWeights: DNNLPrimitive?
    let diffSrc: DNNLMemory?, diffDst: DNNLMemory?, diffBias: DNNLMemory?
    let implementations: [String]

    init(config: Conv2D, input: [Int], output: [Int], batch: Int, training: Bool) throws {
        engine = try DNNLEngine.get()
        stream = try DNNLStream(engine: engine)
        self.batch = batch
        activation = config.activation
        outputChannels = output[2]
        outputCount = batch * output.reduce(1, *)
        let (kh, kw) = config.kernelSize
        let srcMD = try dnnlDesc([batch, input[2], input[0], input[1]], dnnl_nhwc)
        let dstMD = try dnnlDesc([batch, output[2], output[0], output[1]], dnnl_nhwc)
        let userWMD = try dnnlDesc([output[2], input[2], kh, kw], dnnl_hwio)
        let biasMD = try dnnlDesc([output[2]], dnnl_a)
        var anyWMD = try dnnlDesc([output[2], input[2], kh, kw], dnnl_format_tag_any)
        let strides: [Int64] = [1, 1]
        let pads = config.paddingAmounts
        let padL = pads.low.map { Int64($0) }, padR = pads.high.map { Int64($0) }

        // ReLU is fused into the convolution as a post-op; other activations run after it.
        var attr: dnnl_primitive_attr_t?
        try dnnlCheck(dnnl_primitive_attr_create(&attr), "attr_create")
        defer { dnnl_primitive_attr_destroy(attr) }
        if config.activation == .relu {
            var ops: dnnl_post_ops_t?
            try dnnlCheck(dnnl_post_ops_create(&ops), "post_ops_create")
            defer { dnnl_post_ops_destroy(ops) }
            try dnnlCheck(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append")
            try dnnlCheck(dnnl_primitive_attr_set_post_ops(attr, ops), "attr_set_post_ops")
        }

        var s = srcMD, d = dstMD, b = biasMD
        var fwdDesc = dnnl_convolution_desc_t()
        try dnnlCheck(dnnl_convolution_forward_desc_init(
            &fwdDesc, training ? dnnl_forward_training : dnnl_forward_inference, dnnl_convolution_direct,
            &s, &anyWMD, &b, &d, strides, padL, padR), "convolution_forward_desc_init")
        var fpd: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_primitive_desc_create(&fpd, &fwdDesc, attr, engine.handle, nil), "convolution forward (\(config.name))")
        let forwardPD = DNNLPrimitiveDesc(fpd!)
        forwardPrimitive = try DNNLPrimitive(forwardPD)
        var impls = ["fwd: " + forwardPD.implementation]

        src = try DNNLMemory(desc: srcMD, engine: engine)
        dst = try DNNLMemory(desc: dstMD, engine: engine)
        bias = try DNNLMemory(desc: biasMD, engine: engine)
        userWeights = try DNNLMemory(desc: userWMD, engine: engine)
        let fwdWMD = forwardPD.md(dnnl_query_weights_md)
        if dnnlSameLayout(fwdWMD, userWMD) {
            forwardWeights = userWeights
            toForwardWeights = nil
        } else {
            forwardWeights = try DNNLMemory(desc: fwdWMD, engine: engine, allocate: true)
            toForwardWeights = try dnnlReorder(from: userWMD, to: fwdWMD, engine: engine)
        }

        if training {
            diffDst = try DNNLMemory(desc: dstMD, engine: engine)
            diffSrc = try DNNLMemory(desc: srcMD, engine: engine)
            diffBias = try DNNLMemory(desc: biasMD, engine: engine)
            userDiffWeights = try DNNLMemory(desc: userWMD, engine: engine)

            var bdDesc = dnnl_convolution_desc_t()
            var anyW2 = try dnnlDesc([output[2], input[2], kh, kw], dnnl_format_tag_any)
            try dnnlCheck(dnnl_convolution_backward_data_desc_init(
                &bdDesc, dnnl_convolution_direct, &s, &anyW2, &d, strides, padL, padR), "backward_data_desc_init")
            var bpd: dnnl_primitive_desc_t?
            try dnnlCheck(dnnl_primitive_desc_create(&bpd, &bdDesc, nil, engine.handle, forwardPD.handle),
                          "convolution backward data (\(config.name))")
            let bdPD = DNNLPrimitiveDesc(bpd!)
            backwardData = try DNNLPrimitive(bdPD)
            impls.append("bwd_d: " + bdPD.implementation)
            let bdWMD = bdPD.md(dnnl_query_weights_md)
            if dnnlSameLayout(bdWMD, userWMD) {
                backwardDataWeights = userWeights; toBackwardDataWeights = nil
            } else if dnnlSameLayout(bdWMD, fwdWMD) {
                backwardDataWeights = forwardWeights; toBackwardDataWeights = nil
            } else {
                backwardDataWeights = try DNNLMemory(desc: bdWMD, engine: engine, allocate: true)
                toBackwardDataWeights = try dnnlReorder(from: userWMD, to: bdWMD, engine: engine)
            }

            var bwDesc = dnnl_convolution_desc_t()
            var anyW3 = try dnnlDesc([output[2], input[2], kh, kw], dnnl_format_tag_any)
            try dnnlCheck(dnnl_convolution_backward_weights_desc_init(
                &bwDesc, dnnl_convolution_direct, &s, &anyW3, &b, &d, strides, padL, padR), "backward_weights_desc_init")
            var wpd: dnnl_primitive_desc_t?
            try dnnlCheck(dnnl_primitive_desc_create(&wpd, &bwDesc, nil, engine.handle, forwardPD.handle),
                          "convolution backward weights (\(config.name))")
            let bwPD = DNNLPrimitiveDesc(wpd!)
            backwardWeights = try DNNLPrimitive(bwPD)
            impls.append("bwd_w: " + bwPD.implementation)
            let dwMD = bwPD.md(dnnl_query_diff_weights_md)
            if dnnlSameLayout(dwMD, userWMD) {
                diffWeights = userDiffWeights; fromDiffWeights = nil
            } else {
                diffWeights = try DNNLMemory(desc: dwMD, engine: engine, allocate: true)
                fromDiffWeights = try dnnlReorder(from: dwMD, to: userWMD, engine: engine)
            }
        } else {
            backwardData = nil; backwardDataWeights = nil; toBackwardDataWeights = nil
            backwardWeights = nil; diffWeights = nil; userDiffWeights = nil; fromDiffWeights = nil
            diffSrc = nil; diffDst = nil; diffBias = nil
        }
        implementations = impls
    }

    func parametersChanged() {
        forwardWeightsFresh = false
        backwardWeightsFresh = false
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        try userWeights.point(at: parameters[0])
        try bias.point(at: parameters[1])
        if let reorder = toForwardWeights, !forwardWeightsFresh {
            try reorder.execute(stream, [(DNNL_ARG_FROM, userWeights), (DNNL_ARG_TO, forwardWeights)])
        }
        forwardWeightsFresh = true
        try src.point(at: input)
        try dst.point(at: output)
        try forwardPrimitive.execute(stream, [(DNNL_ARG_SRC, src), (DNNL_ARG_WEIGHTS, forwardWeights),
                                              (DNNL_ARG_BIAS, bias), (DNNL_ARG_DST, dst)])
        if activation != .relu {
            activation.forward(output, rows: outputCount / outputChannels, width: outputChannels)
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let backwardData, let backwardWeights, let diffDst, let diffSrc, let diffBias,
              let diffWeights, let userDiffWeights, let backwardDataWeights else {
            throw NeuralKitError.backend("Conv2D backward called on an inference plan")
        }
        if !gradIsPreActivation {
            activation.backward(output: output, grad: outputGrad, rows: outputCount / outputChannels, width: outputChannels)
        }
        try diffDst.point(at: outputGrad)
        if let grads = parameterGrads {
            try src.point(at: input)
            try userDiffWeights.point(at: grads[0])
            try diffBias.point(at: grads[1])
            try backwardWeights.execute(stream, [(DNNL_ARG_SRC, src), (DNNL_ARG_DIFF_DST, diffDst),
                                                 (DNNL_ARG_DIFF_WEIGHTS, diffWeights), (DNNL_ARG_DIFF_BIAS, diffBias)])
            if let back = fromDiffWeights {
                try back.execute(stream, [(DNNL_ARG_FROM, diffWeights), (DNNL_ARG_TO, userDiffWeights)])
            }
        }
        if let dx = inputGrad {
            try userWeights.point(at: parameters[0])
            if let reorder = toBackwardDataWeights, !backwardWeightsFresh {
                try reorder.execute(stream, [(DNNL_ARG_FROM, userWeights), (DNNL_ARG_TO, backwardDataWeights)])
            } else if toBackwardDataWeights == nil, backwardDataWeights === forwardWeights,
                      let reorder = toForwardWeights, !forwardWeightsFresh {
                try reorder.execute(stream, [(DNNL_ARG_FROM, userWeights), (DNNL_ARG_TO, forwardWeights)])
                forwardWeightsFresh = true
            }
            backwardWeightsFresh = true
            try diffSrc.point(at: dx)
            try backwardData.execute(stream, [(DNNL_ARG_DIFF_DST, diffDst), (DNNL_ARG_WEIGHTS, backwardDataWeights),
                                              (DNNL_ARG_DIFF_SRC, diffSrc)])
        }
    }
}
