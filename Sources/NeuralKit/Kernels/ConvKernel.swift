import CDNNL

/// Convolution through oneDNN primitives (see docs/neuralkit.md for why not im2col + OpenBLAS).
/// Data enters and leaves in NHWC and weights in Keras' HWIO layout. 3x3 convolutions with
/// channel counts that are multiples of 16 (on maps larger than 4x4; smaller ones go to
/// `SmallMapWinogradKernel`) use oneDNN's Winograd F(4x4, 3x3) kernels, which need
/// oneDNN's blocked layouts: `LayoutBridge`s reorder into and out of them around each call (cheap
/// next to the 2-2.5x fewer multiplications). Weights in a blocked layout are reordered once per
/// parameter change; weight gradients are reordered back to HWIO.
///
/// In bf16 mode (`KernelChoices.bf16Convolutions`, opt-in) the primitives read bf16 copies of
/// the input, the weights and the output gradient, made by the same bridges, and write float32
/// outputs, input gradients and weight gradients: the master weights and everything outside the
/// convolutions stay float32. Winograd has no bf16 form, so those convolutions run direct.
final class ConvKernel: LayerKernel {
    let batch: Int
    let activation: Activation
    let outputCount: Int, outputChannels: Int
    let engine: DNNLEngine
    let stream: DNNLStream
    let winograd: Bool
    let bf16: Bool
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
         layouts: (input: ActivationLayout, output: ActivationLayout) = (.nhwc, .nhwc), winograd forced: Bool? = nil,
         bf16: Bool = false) throws {
        engine = resources.engine
        stream = resources.stream
        self.batch = batch
        activation = config.activation
        outputChannels = output[2]
        outputCount = batch * output.reduce(1, *)
        // Passed in, not read from KernelChoices.current: the calibration that makes it builds kernels.
        self.bf16 = bf16
        let low = bf16 ? dnnl_bf16 : dnnl_f32
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
            var s = try dnnlDesc(srcDims, srcTag, low), d = try dnnlDesc(dstDims, dstTag)
            var w = try dnnlDesc(wDims, dnnl_format_tag_any, low)
            var desc = dnnl_convolution_desc_t()
            guard dnnl_convolution_forward_desc_init(
                &desc, training ? dnnl_forward_training : dnnl_forward_inference, alg,
                &s, &w, &biasMD, &d, strides, padL, padR) == dnnl_success else { return nil }
            var pd: dnnl_primitive_desc_t?
            guard dnnl_primitive_desc_create(&pd, &desc, attr, engine.handle, nil) == dnnl_success, let pd else { return nil }
            return DNNLPrimitiveDesc(pd)
        }
        // `forced`: KernelChoices' calibration, which decides what usesWinograd says.
        let useWinograd = !bf16 && (forced ?? config.usesWinograd(inputChannels: input[2]))
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
            // The forward's data layouts, so that its blocked source copy can be reused. In bf16
            // the gradients' types differ from the forward's (bf16 in, float32 out), so oneDNN
            // picks their layouts.
            var s = winograd || bf16 ? try dnnlDesc(srcDims, any, low) : forward.md(dnnl_query_src_md)
            var d = winograd || bf16 ? try dnnlDesc(dstDims, any, low) : forward.md(dnnl_query_dst_md)
            var w = try dnnlDesc(wDims, dnnl_format_tag_any, low)
            var diffS = bf16 ? try dnnlDesc(srcDims, any) : s
            var diffW = bf16 ? try dnnlDesc(wDims, any) : w
            var bdDesc = dnnl_convolution_desc_t()
            try dnnlCheck(dnnl_convolution_backward_data_desc_init(&bdDesc, alg, &diffS, &w, &d, strides, padL, padR),
                          "backward_data_desc_init")
            var bpd: dnnl_primitive_desc_t?
            try dnnlCheck(dnnl_primitive_desc_create(&bpd, &bdDesc, attr, engine.handle, forward.handle),
                          "convolution backward data (\(config.name))")
            let dataPD = DNNLPrimitiveDesc(bpd!)
            var bwDesc = dnnl_convolution_desc_t()
            try dnnlCheck(dnnl_convolution_backward_weights_desc_init(&bwDesc, alg, &s, &diffW, &biasMD, &d, strides, padL, padR),
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
