/// A convolution and the max-pool after it, run a few images at a time. The scratch CNN's first
/// convolution writes its largest activation (8 MB per core's 16 images); chunk by chunk it stays
/// in the core's L2 cache between the two layers instead of making a round trip through memory,
/// and the whole batch's copy is never stored. Backward goes
/// the same way: the pool routes a chunk's gradient into the chunk buffer, and the convolution's
/// backward passes read it from cache. Weight gradients are summed over the chunks.
///
/// The pool's backward only needs its winners, and the convolution's activation derivative is
/// taken from the pooled output (a winner's value is the pooled value), so nothing else of the
/// convolution's output is kept.
final class ConvPoolKernel: LayerKernel {
    let batch: Int, chunk: Int
    let activation: Activation
    /// Floats per image of the convolution's input and of the pool's output.
    let inputImage: Int, outputImage: Int, channels: Int
    /// For `chunk` images, and for the `batch % chunk` left over.
    let conv: ConvKernel, lastConv: ConvKernel?
    /// For the whole batch: its winners cover every image.
    let pool: MaxPoolKernel
    /// One chunk of the convolution's output; backward, its gradient.
    private let convOutput: FloatBuffer
    /// Training: one chunk's weight and bias gradients, before they are added to the batch's.
    private let partialGrads: [FloatBuffer]?
    private let partialGradPointers: [UnsafeMutablePointer<Float>]?

    /// A chunk's convolution output fills at most this many bytes: the per-core L2, at most 1 MiB
    /// (`KernelChoices`; two of the scratch CNN's conv1 maps on both CPU kinds measured).
    static var cacheBudget: Int { KernelChoices.current.convPoolBudget }

    /// Images per chunk for a convolution followed by a max-pool, or nil to run the two apart.
    /// `forced` (tests) skips the cost rule; 0 means never fuse.
    ///
    /// Fusing pays for convolutions with few multiply-adds per output value (the scratch CNN's
    /// first, 3x3x3 = 27), whose pass over memory is a large share of the pair's time; VGG16's
    /// (576 and more) are compute-bound, and their inference ran 3-8% slower in chunks
    /// (docs/neuralkit.md). Nothing to gain either when the whole batch's output fits the budget.
    /// The small-map Winograd kernel is never fused (this kernel drives `ConvKernel`s).
    static func chunk(conv: Conv2D, input: [Int], batch: Int, forced: Int? = nil) throws -> Int? {
        guard input.count == 3, !SmallMapWinogradKernel.applies(to: conv, input: input) else { return nil }
        if let forced { return forced > 0 && forced < batch ? forced : nil }
        guard conv.kernelSize.height * conv.kernelSize.width * input[2] <= 64 else { return nil }
        let bytesPerImage = 4 * (try conv.outputShape(for: input)).reduce(1, *)
        let chunk = max(1, cacheBudget / bytesPerImage)
        return chunk < batch ? chunk : nil
    }

    init(conv config: Conv2D, pool poolConfig: MaxPool2D, input: [Int], batch: Int, chunk: Int, training: Bool,
         resources: KernelResources, layouts: (input: ActivationLayout, between: ActivationLayout, output: ActivationLayout),
         bf16: Bool = false) throws {
        precondition(chunk >= 1 && chunk <= batch)
        let convShape = try config.outputShape(for: input)
        let poolShape = try poolConfig.outputShape(for: convShape)
        self.batch = batch
        self.chunk = chunk
        activation = config.activation
        inputImage = input.reduce(1, *)
        outputImage = poolShape.reduce(1, *)
        channels = convShape[2]
        func makeConv(images: Int) throws -> ConvKernel {
            try ConvKernel(config: config, input: input, output: convShape, batch: images, training: training,
                           resources: resources, layouts: (layouts.input, layouts.between), bf16: bf16)
        }
        conv = try makeConv(images: chunk)
        lastConv = batch % chunk == 0 ? nil : try makeConv(images: batch % chunk)
        pool = MaxPoolKernel(batch: batch, height: convShape[0], width: convShape[1], channels: convShape[2],
                             training: training, layouts: (layouts.between, layouts.output))
        convOutput = FloatBuffer(count: chunk * convShape.reduce(1, *))
        partialGrads = training ? config.parameterSpecs(for: input).map { FloatBuffer(count: $0.shape.reduce(1, *)) } : nil
        partialGradPointers = partialGrads?.map(\.pointer)
    }

    private func chunks() -> StrideTo<Int> { stride(from: 0, to: batch, by: chunk) }

    private func convKernel(images: Int) -> ConvKernel { images == chunk ? conv : lastConv! }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        for start in chunks() {
            let n = min(chunk, batch - start)
            try convKernel(images: n).forward(input: input + start * inputImage, output: convOutput.pointer, parameters: parameters)
            pool.forward(images: start..<start + n, input: convOutput.pointer, output: output)
        }
    }

    /// `outputGrad` is the gradient of the pooled output (the pool has no activation of its own,
    /// so `gradIsPreActivation` changes nothing).
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        // The convolution's activation derivative, at the winners, from the pooled values.
        activation.backward(output: output, grad: outputGrad, rows: batch * outputImage / channels, width: channels)
        for start in chunks() {
            let n = min(chunk, batch - start)
            let kernel = convKernel(images: n)
            try pool.backward(images: start..<start + n, outputGrad: outputGrad, inputGrad: convOutput.pointer)
            let x = input + start * inputImage
            if parameterGrads != nil { try kernel.reloadInput(x) }
            // The first chunk writes the batch's gradients; later ones write partials, added after.
            let grads = start == 0 ? parameterGrads : partialGradPointers
            try kernel.backward(input: x, output: convOutput.pointer, outputGrad: convOutput.pointer,
                                gradIsPreActivation: true, inputGrad: inputGrad.map { $0 + start * inputImage },
                                parameters: parameters, parameterGrads: parameterGrads == nil ? nil : grads)
            if start > 0, let total = parameterGrads, let partial = partialGrads {
                for (t, p) in zip(total, partial) {
                    for i in 0..<p.count { t[i] += p.pointer[i] }
                }
            }
        }
    }

    func parametersChanged() {
        conv.parametersChanged()
        lastConv?.parametersChanged()
    }
}
