import CNeuralKernels

/// Loops over image planes here; each plane of up to 16 channels runs in `nk_maxpool_forward` /
/// `nk_maxpool_backward` (CNeuralKernels), which use AVX-512 where the CPU has it: Swift, built
/// for baseline x86-64, ran the forward pass up to 1.7x slower (docs/neuralkit.md).
final class MaxPoolKernel: LayerKernel {
    let batch: Int, height: Int, width: Int, channels: Int
    let outH: Int, outW: Int
    let layouts: (input: ActivationLayout, output: ActivationLayout)
    /// Training only: which of the 4 window positions won, one byte per output element (at its
    /// offset), so backward reads this instead of the large input again (the pass is memory-bound).
    private let winners: UnsafeMutablePointer<UInt8>?

    init(batch: Int, height: Int, width: Int, channels: Int, training: Bool,
         layouts: (input: ActivationLayout, output: ActivationLayout) = (.nhwc, .nhwc)) {
        precondition(layouts == (.nhwc, .nhwc) || channels % 16 == 0, "blocked layouts need channels in 16s")
        self.batch = batch; self.height = height; self.width = width; self.channels = channels
        self.layouts = layouts
        outH = height / 2; outW = width / 2
        if training {
            let n = max(1, batch * outH * outW * channels)
            winners = .allocate(capacity: n)
            winners!.initialize(repeating: 0, count: n)
        } else {
            winners = nil
        }
    }

    deinit { winners?.deallocate() }

    /// Calls `body(channels in the group, input offset, output offset)` for each image plane of
    /// up to 16 channels of images `images`. Input offsets count from the first of those images
    /// (a chunk's buffer), output offsets from the batch's first. The layouts only change where a
    /// pixel's channels start and how far apart pixels and rows are (`strides`).
    @inline(__always) private func forEachPlane(_ images: Range<Int>, _ body: (Int32, Int, Int) -> Void) {
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        let (li, lo) = layouts
        for n in images {
            for g in 0..<(c + 15) / 16 {
                body(Int32(min(16, c - 16 * g)),
                     li.offset(n: n - images.lowerBound, group: g, y: 0, x: 0, height: h, width: w, channels: c),
                     lo.offset(n: n, group: g, y: 0, x: 0, height: oh, width: ow, channels: c))
            }
        }
    }

    /// (input row, input pixel, output row, output pixel) distances in floats.
    private var strides: (inLine: Int, inPixel: Int, outLine: Int, outPixel: Int) {
        let sx = layouts.input.pixelStride(channels: channels), so = layouts.output.pixelStride(channels: channels)
        return (width * sx, sx, outW * so, so)
    }

    /// The maximum of each window; in training also the first position holding it in row-major
    /// order (TensorFlow's rule for ties).
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        forward(images: 0..<batch, input: input, output: output)
    }

    /// Forward for some of the batch's images: `input` holds only those; `output` is the batch's.
    func forward(images: Range<Int>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let s = strides, (oh, ow) = (Int32(outH), Int32(outW)), winners = winners
        forEachPlane(images) { count, i, o in
            nk_maxpool_forward(input + i, s.inLine, s.inPixel, output + o, s.outLine, s.outPixel,
                               winners.map { $0 + o }, oh, ow, count)
        }
    }

    /// Routes each output gradient to its window's recorded winner; the other three positions get 0.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let dx = inputGrad else { return }
        try backward(images: 0..<batch, outputGrad: outputGrad, inputGrad: dx)
    }

    /// Backward for some of the batch's images: `outputGrad` is the batch's; `inputGrad` gets only
    /// those images.
    func backward(images: Range<Int>, outputGrad: UnsafePointer<Float>, inputGrad dx: UnsafeMutablePointer<Float>) throws {
        guard let winners else { throw NeuralKitError.backend("MaxPool2D backward called on an inference plan") }
        if height % 2 != 0 || width % 2 != 0 {  // dropped rows/columns
            dx.update(repeating: 0, count: images.count * height * width * channels)
        }
        let s = strides, (oh, ow) = (Int32(outH), Int32(outW))
        forEachPlane(images) { count, i, o in
            nk_maxpool_backward(outputGrad + o, winners + o, s.outLine, s.outPixel, dx + i, s.inLine, s.inPixel, oh, ow, count)
        }
    }
}
