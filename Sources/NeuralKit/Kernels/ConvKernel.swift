import CDNNL

public enum Padding: String, Sendable, Codable {
    /// Output has the input's size; TensorFlow puts the odd extra padding row/column at the end.
    case same
    /// No padding: output is input - kernel + 1.
    case valid
}

/// Keras `Conv2D` with stride 1: kernel [kh, kw, cin, cout] (HWIO), bias [cout], NHWC data.
public struct Conv2D: Layer, BlockedLayoutLayer {
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

    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        try makeKernel(input: input, batch: batch, training: training, resources: resources, layouts: (.nhwc, .nhwc))
    }

    func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources,
                    layouts: (input: ActivationLayout, output: ActivationLayout)) throws -> any LayerKernel {
        let out = try outputShape(for: input)
        // canRead/canWrite keep small maps NHWC, so the plan never asks this kernel for nChw16c.
        if SmallMapWinogradKernel.applies(to: self, input: input), layouts == (.nhwc, .nhwc) {
            return try SmallMapWinogradKernel(config: self, input: input, batch: batch, training: training, resources: resources)
        }
        return try ConvKernel(config: self, input: input, output: out, batch: batch, training: training,
                              resources: resources, layouts: layouts)
    }

    /// Blocked input only where Winograd runs (it computes in that layout; a direct convolution
    /// would reorder it back). Blocked output whenever the channels fill 16-blocks: the direct
    /// kernel for a 3-channel input is also faster writing nChw16c than NHWC (docs/neuralkit.md).
    /// Small maps (`SmallMapWinogradKernel`) stay NHWC.
    func canRead(_ layout: ActivationLayout, input: [Int]) -> Bool {
        layout == .nhwc || (input.count == 3 && usesWinograd(inputChannels: input[2])
                            && !SmallMapWinogradKernel.applies(to: self, input: input))
    }

    func canWrite(_ layout: ActivationLayout, input: [Int]) -> Bool {
        layout == .nhwc || (filters % 16 == 0 && !SmallMapWinogradKernel.applies(to: self, input: input))
    }

    func usesWinograd(inputChannels: Int) -> Bool {
        kernelSize.height == 3 && kernelSize.width == 3 && inputChannels % 16 == 0 && filters % 16 == 0
    }

    /// (top, left) and (bottom, right) padding, TensorFlow's convention.
    var paddingAmounts: (low: [Int], high: [Int]) {
        guard padding == .same else { return ([0, 0], [0, 0]) }
        let ph = kernelSize.height - 1, pw = kernelSize.width - 1
        return ([ph / 2, pw / 2], [ph - ph / 2, pw - pw / 2])
    }
}

/// Convolution through oneDNN primitives (see docs/neuralkit.md for why not im2col + OpenBLAS).
/// Data enters and leaves in NHWC and weights in Keras' HWIO layout. 3x3 convolutions with
/// channel counts that are multiples of 16 (on maps larger than 4x4; smaller ones go to
/// `SmallMapWinogradKernel`) use oneDNN's Winograd F(4x4, 3x3) kernels, which need
/// oneDNN's blocked layouts: `LayoutBridge`s reorder into and out of them around each call (cheap
/// next to the 2-2.5x fewer multiplications). Weights in a blocked layout are reordered once per
/// parameter change; weight gradients are reordered back to HWIO.
final class ConvKernel: LayerKernel {
    let batch: Int
    let activation: Activation
    let outputCount: Int, outputChannels: Int
    let engine: DNNLEngine
    let stream: DNNLStream
    let winograd: Bool
    let implementations: [String]

    // Forward.
    let forwardPrimitive: DNNLPrimitive
    let src: LayoutBridge, dst: LayoutBridge
    let bias: DNNLMemory
    let weights: LayoutBridge
    private var forwardWeightsFresh = false

    // Backward (training only).
    struct Backward {
        let data: DNNLPrimitive
        let dataWeights: LayoutBridge
        let diffSrc: LayoutBridge
        let diffDstForData: LayoutBridge
        let weights: DNNLPrimitive
        let srcForWeights: LayoutBridge
        let diffDstForWeights: LayoutBridge
        let diffWeights: LayoutBridge
        let diffBias: DNNLMemory
    }
    let backwardParts: Backward?
    private var backwardWeightsFresh = false

    init(config: Conv2D, input: [Int], output: [Int], batch: Int, training: Bool, resources: KernelResources,
         layouts: (input: ActivationLayout, output: ActivationLayout) = (.nhwc, .nhwc)) throws {
        engine = resources.engine
        stream = resources.stream
        self.batch = batch
        activation = config.activation
        outputChannels = output[2]
        outputCount = batch * output.reduce(1, *)
        let (kh, kw) = config.kernelSize
        let srcDims = [batch, input[2], input[0], input[1]], dstDims = [batch, output[2], output[0], output[1]]
        let wDims = [output[2], input[2], kh, kw]
        // Our buffers' layouts; when the primitive wants another, the bridges below reorder.
        let userSrc = try dnnlDesc(srcDims, layouts.input.dnnlTag), userDst = try dnnlDesc(dstDims, layouts.output.dnnlTag)
        let userW = try dnnlDesc(wDims, dnnl_hwio)
        var biasMD = try dnnlDesc([output[2]], dnnl_a)
        let strides: [Int64] = [1, 1]
        let pads = config.paddingAmounts
        let padL = pads.low.map { Int64($0) }, padR = pads.high.map { Int64($0) }

        // ReLU is fused into the convolution as a post-op; other activations run after it.
        let attr = try dnnlUserScratchpadAttributes()
        defer { dnnl_primitive_attr_destroy(attr) }
        if config.activation == .relu {
            var ops: dnnl_post_ops_t?
            try dnnlCheck(dnnl_post_ops_create(&ops), "post_ops_create")
            defer { dnnl_post_ops_destroy(ops) }
            try dnnlCheck(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append")
            try dnnlCheck(dnnl_primitive_attr_set_post_ops(attr, ops), "attr_set_post_ops")
        }

        let engine = self.engine
        /// Forward primitive descriptor for an algorithm, or nil if oneDNN has no implementation.
        func forwardPD(_ alg: dnnl_alg_kind_t, srcTag: dnnl_format_tag_t, dstTag: dnnl_format_tag_t) throws -> DNNLPrimitiveDesc? {
            var s = try dnnlDesc(srcDims, srcTag), d = try dnnlDesc(dstDims, dstTag)
            var w = try dnnlDesc(wDims, dnnl_format_tag_any)
            var desc = dnnl_convolution_desc_t()
            guard dnnl_convolution_forward_desc_init(
                &desc, training ? dnnl_forward_training : dnnl_forward_inference, alg,
                &s, &w, &biasMD, &d, strides, padL, padR) == dnnl_success else { return nil }
            var pd: dnnl_primitive_desc_t?
            guard dnnl_primitive_desc_create(&pd, &desc, attr, engine.handle, nil) == dnnl_success, let pd else { return nil }
            return DNNLPrimitiveDesc(pd)
        }
        let useWinograd = config.usesWinograd(inputChannels: input[2])
        let any = dnnl_format_tag_any
        var fpd: DNNLPrimitiveDesc? = useWinograd ? try forwardPD(dnnl_convolution_winograd, srcTag: any, dstTag: any) : nil
        winograd = fpd != nil
        // Direct into a blocked output: the source layout is left to oneDNN (nchw for 3 channels);
        // oneDNN's reference kernel (slower by 100x) means no JIT kernel fits, so go back to NHWC.
        if fpd == nil, layouts.output == .blocked16, layouts.input == .nhwc,
           let pd = try forwardPD(dnnl_convolution_direct, srcTag: any, dstTag: dnnl_nChw16c),
           !pd.implementation.hasPrefix("ref") {
            fpd = pd
        }
        if fpd == nil { fpd = try forwardPD(dnnl_convolution_direct, srcTag: dnnl_nhwc, dstTag: dnnl_nhwc) }
        guard let forward = fpd else {
            throw NeuralKitError.backend("oneDNN has no convolution for '\(config.name)' (\(input) -> \(output))")
        }
        let alg = winograd ? dnnl_convolution_winograd : dnnl_convolution_direct
        forwardPrimitive = try DNNLPrimitive(forward, resources: resources)
        var impls = ["fwd: " + forward.implementation]
        src = try LayoutBridge(user: userSrc, inner: forward.md(dnnl_query_src_md), resources: resources, direction: .toInner)
        dst = try LayoutBridge(user: userDst, inner: forward.md(dnnl_query_dst_md), resources: resources, direction: .toUser)
        weights = try LayoutBridge(user: userW, inner: forward.md(dnnl_query_weights_md), resources: resources, direction: .toInner)
        bias = try DNNLMemory(desc: biasMD, engine: engine)

        if training {
            let attr = try dnnlUserScratchpadAttributes()  // no post-ops for backward
            defer { dnnl_primitive_attr_destroy(attr) }
            // The forward's data layouts, so that its blocked source copy can be reused.
            var s = winograd ? try dnnlDesc(srcDims, any) : forward.md(dnnl_query_src_md)
            var d = winograd ? try dnnlDesc(dstDims, any) : forward.md(dnnl_query_dst_md)
            var w = try dnnlDesc(wDims, dnnl_format_tag_any)
            var bdDesc = dnnl_convolution_desc_t()
            try dnnlCheck(dnnl_convolution_backward_data_desc_init(&bdDesc, alg, &s, &w, &d, strides, padL, padR),
                          "backward_data_desc_init")
            var bpd: dnnl_primitive_desc_t?
            try dnnlCheck(dnnl_primitive_desc_create(&bpd, &bdDesc, attr, engine.handle, forward.handle),
                          "convolution backward data (\(config.name))")
            let dataPD = DNNLPrimitiveDesc(bpd!)
            var bwDesc = dnnl_convolution_desc_t()
            try dnnlCheck(dnnl_convolution_backward_weights_desc_init(&bwDesc, alg, &s, &w, &biasMD, &d, strides, padL, padR),
                          "backward_weights_desc_init")
            var wpd: dnnl_primitive_desc_t?
            try dnnlCheck(dnnl_primitive_desc_create(&wpd, &bwDesc, attr, engine.handle, forward.handle),
                          "convolution backward weights (\(config.name))")
            let weightsPD = DNNLPrimitiveDesc(wpd!)
            impls += ["bwd_d: " + dataPD.implementation, "bwd_w: " + weightsPD.implementation]
            let diffDstForData = try LayoutBridge(user: userDst, inner: dataPD.md(dnnl_query_diff_dst_md), resources: resources, direction: .toInner)
            let wdd = weightsPD.md(dnnl_query_diff_dst_md)
            backwardParts = Backward(
                data: try DNNLPrimitive(dataPD, resources: resources),
                dataWeights: dnnlSameLayout(dataPD.md(dnnl_query_weights_md), weights.inner.desc) ? weights
                    : try LayoutBridge(user: userW, inner: dataPD.md(dnnl_query_weights_md), resources: resources, direction: .toInner),
                diffSrc: try LayoutBridge(user: userSrc, inner: dataPD.md(dnnl_query_diff_src_md), resources: resources, direction: .toUser),
                diffDstForData: diffDstForData,
                weights: try DNNLPrimitive(weightsPD, resources: resources),
                srcForWeights: dnnlSameLayout(weightsPD.md(dnnl_query_src_md), src.inner.desc) ? src
                    : try LayoutBridge(user: userSrc, inner: weightsPD.md(dnnl_query_src_md), resources: resources, direction: .toInner),
                diffDstForWeights: dnnlSameLayout(wdd, diffDstForData.inner.desc) ? diffDstForData
                    : try LayoutBridge(user: userDst, inner: wdd, resources: resources, direction: .toInner),
                diffWeights: try LayoutBridge(user: userW, inner: weightsPD.md(dnnl_query_diff_weights_md), resources: resources, direction: .toUser),
                diffBias: try DNNLMemory(desc: biasMD, engine: engine))
        } else {
            backwardParts = nil
        }
        implementations = impls
    }

    func parametersChanged() {
        forwardWeightsFresh = false
        backwardWeightsFresh = false
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        try weights.pointUser(at: parameters[0])
        if !forwardWeightsFresh { try weights.toInner(stream) }
        forwardWeightsFresh = true
        try bias.point(at: parameters[1])
        try src.pointUser(at: input)
        try src.toInner(stream)
        try dst.pointUser(at: output)
        try forwardPrimitive.execute(stream, [(DNNL_ARG_SRC, src.inner), (DNNL_ARG_WEIGHTS, weights.inner),
                                              (DNNL_ARG_BIAS, bias), (DNNL_ARG_DST, dst.inner)])
        try dst.toUser(stream)
        if activation != .relu {
            activation.forward(output, rows: outputCount / outputChannels, width: outputChannels)
        }
    }

    /// For a caller that ran forward on other inputs since (`ConvPoolKernel`, chunk by chunk):
    /// converts `input` again, so that backward finds its copy in the primitive's layout.
    func reloadInput(_ input: UnsafePointer<Float>) throws {
        try src.pointUser(at: input)
        try src.toInner(stream)
    }

    /// Expects the forward pass of the same batch to have run just before (the blocked copy of the
    /// input is reused; see `reloadInput`).
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let b = backwardParts else { throw NeuralKitError.backend("Conv2D backward called on an inference plan") }
        if !gradIsPreActivation {
            activation.backward(output: output, grad: outputGrad, rows: outputCount / outputChannels, width: outputChannels)
        }
        if let grads = parameterGrads {
            if b.srcForWeights !== src {
                try b.srcForWeights.pointUser(at: input)
                try b.srcForWeights.toInner(stream)
            }
            try b.diffDstForWeights.pointUser(at: outputGrad)
            try b.diffDstForWeights.toInner(stream)
            try b.diffWeights.pointUser(at: grads[0])
            try b.diffBias.point(at: grads[1])
            try b.weights.execute(stream, [(DNNL_ARG_SRC, b.srcForWeights.inner), (DNNL_ARG_DIFF_DST, b.diffDstForWeights.inner),
                                           (DNNL_ARG_DIFF_WEIGHTS, b.diffWeights.inner), (DNNL_ARG_DIFF_BIAS, b.diffBias)])
            try b.diffWeights.toUser(stream)
        }
        if let dx = inputGrad {
            if b.dataWeights === weights {
                try weights.pointUser(at: parameters[0])
                if !forwardWeightsFresh { try weights.toInner(stream) }
                forwardWeightsFresh = true
            } else {
                try b.dataWeights.pointUser(at: parameters[0])
                if !backwardWeightsFresh { try b.dataWeights.toInner(stream) }
                backwardWeightsFresh = true
            }
            if parameterGrads == nil || b.diffDstForData !== b.diffDstForWeights {
                try b.diffDstForData.pointUser(at: outputGrad)
                try b.diffDstForData.toInner(stream)
            }
            try b.diffSrc.pointUser(at: dx)
            try b.data.execute(stream, [(DNNL_ARG_DIFF_DST, b.diffDstForData.inner), (DNNL_ARG_WEIGHTS, b.dataWeights.inner),
                                        (DNNL_ARG_DIFF_SRC, b.diffSrc.inner)])
            try b.diffSrc.toUser(stream)
        }
    }
}

/// A tensor seen in our layout (`user`: NHWC data, HWIO weights, pointing at our buffers) and in the
/// layout a primitive wants (`inner`). When they are the same, `inner` is the user memory and the
/// conversions do nothing; otherwise `inner` owns a buffer and reorders run in either direction.
final class LayoutBridge {
    let user: DNNLMemory
    let inner: DNNLMemory
    private let toInnerReorder: DNNLPrimitive?
    private let toUserReorder: DNNLPrimitive?

    enum Direction { case toInner, toUser, both }

    /// Only the needed directions are built: Winograd weight layouts can be reordered into but not
    /// out of.
    init(user userDesc: dnnl_memory_desc_t, inner innerDesc: dnnl_memory_desc_t, resources: KernelResources,
         direction: Direction) throws {
        let engine = resources.engine
        user = try DNNLMemory(desc: userDesc, engine: engine)
        if dnnlSameLayout(userDesc, innerDesc) {
            inner = user
            toInnerReorder = nil
            toUserReorder = nil
        } else {
            inner = try DNNLMemory(desc: innerDesc, engine: engine, allocate: true)
            toInnerReorder = direction == .toUser ? nil : try dnnlReorder(from: userDesc, to: innerDesc, resources: resources)
            toUserReorder = direction == .toInner ? nil : try dnnlReorder(from: innerDesc, to: userDesc, resources: resources)
        }
    }

    func pointUser(at p: UnsafeRawPointer) throws { try user.point(at: p) }

    func toInner(_ stream: DNNLStream) throws {
        try toInnerReorder?.execute(stream, [(DNNL_ARG_FROM, user), (DNNL_ARG_TO, inner)])
    }

    func toUser(_ stream: DNNLStream) throws {
        try toUserReorder?.execute(stream, [(DNNL_ARG_FROM, inner), (DNNL_ARG_TO, user)])
    }
}
