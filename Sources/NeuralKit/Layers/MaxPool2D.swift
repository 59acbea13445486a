/// Keras `MaxPooling2D(pool_size=(2, 2))`: stride 2, `valid` (odd trailing rows/columns dropped).
public struct MaxPool2D: Layer, BlockedLayoutLayer {
    public let name: String
    public var activation: Activation { .linear }

    public init(name: String) { self.name = name }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.count == 3, input[0] >= 2, input[1] >= 2 else {
            throw NeuralKitError.shapeMismatch("MaxPool2D '\(name)' needs an HxWxC input with H, W >= 2, got \(input)")
        }
        return [input[0] / 2, input[1] / 2, input[2]]
    }

    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] { [] }

    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        try makeKernel(input: input, batch: batch, training: training, resources: resources, layouts: (.nhwc, .nhwc))
    }

    func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources,
                    layouts: (input: ActivationLayout, output: ActivationLayout)) throws -> any LayerKernel {
        _ = try outputShape(for: input)
        return MaxPoolKernel(batch: batch, height: input[0], width: input[1], channels: input[2], training: training,
                             layouts: layouts)
    }

    func canRead(_ layout: ActivationLayout, input: [Int]) -> Bool {
        layout == .nhwc || (input.count == 3 && input[2] % 16 == 0)
    }

    func canWrite(_ layout: ActivationLayout, input: [Int]) -> Bool { canRead(layout, input: input) }
}

final class MaxPoolKernel: LayerKernel {
    let batch: Int, height: Int, width: Int, channels: Int
    let outH: Int, outW: Int
    let layouts: (input: ActivationLayout, output: ActivationLayout)
    /// Training only: which of the 4 window positions won (0 top-left, 1 top-right, 2 bottom-left,
    /// 3 bottom-right), so backward reads this instead of the large input again (the pass is
    /// memory-bound; re-reading the input took 11% of a scratch-CNN step).
    private let winners: UnsafeMutablePointer<Int32>?

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

    /// The maximum of each window; in training also the first position holding it in row-major
    /// order (TensorFlow's rule for ties), found with strict `>` so earlier positions win ties.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        if layouts != (.nhwc, .nhwc) { return forwardGroups(input: input, output: output) }
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        let vectorChannels = c - c % 16
        for row in 0..<(batch * oh) {
            let n = row / oh, y = row % oh
            let src0 = input + ((n * h + 2 * y) * w) * c
            let src1 = src0 + w * c
            let dst = output + row * ow * c
            for x in 0..<ow {
                let a = src0 + 2 * x * c, b = src1 + 2 * x * c, d = dst + x * c
                if let winners {
                    let k = winners + (row * ow + x) * c
                    var ch = 0
                    while ch < vectorChannels {
                        let (best, at) = windowWinner(load16(a + ch), load16(a + ch + c), load16(b + ch), load16(b + ch + c))
                        store16(best, d + ch)
                        UnsafeMutableRawPointer(k + ch).storeBytes(of: at, as: SIMD16<Int32>.self)
                        ch += 16
                    }
                    for ch in vectorChannels..<c {
                        var best = a[ch], at: Int32 = 0
                        if a[ch + c] > best { best = a[ch + c]; at = 1 }
                        if b[ch] > best { best = b[ch]; at = 2 }
                        if b[ch + c] > best { best = b[ch + c]; at = 3 }
                        d[ch] = best
                        k[ch] = at
                    }
                } else {
                    var ch = 0
                    while ch < vectorChannels {
                        let m = vmax(vmax(load16(a + ch), load16(a + ch + c)), vmax(load16(b + ch), load16(b + ch + c)))
                        store16(m, d + ch)
                        ch += 16
                    }
                    for ch in vectorChannels..<c {
                        d[ch] = max(max(a[ch], a[ch + c]), max(b[ch], b[ch + c]))
                    }
                }
            }
        }
    }

    /// Routes each output gradient to its window's recorded winner; the other three positions get 0.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let dx = inputGrad else { return }
        guard let winners else { throw NeuralKitError.backend("MaxPool2D backward called on an inference plan") }
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        if h % 2 != 0 || w % 2 != 0 { dx.update(repeating: 0, count: batch * h * w * c) }  // dropped rows/columns
        if layouts != (.nhwc, .nhwc) { return backwardGroups(outputGrad: outputGrad, inputGrad: dx, winners: winners) }
        let vectorChannels = c - c % 16
        let zero = SIMD16<Float>(repeating: 0)
        // Whole-vector operands: the scalar-operand overloads of .== are not vectorized.
        let p0 = SIMD16<Int32>(repeating: 0), p1 = SIMD16<Int32>(repeating: 1)
        let p2 = SIMD16<Int32>(repeating: 2), p3 = SIMD16<Int32>(repeating: 3)
        for row in 0..<(batch * oh) {
            let n = row / oh, y = row % oh
            let base = ((n * h + 2 * y) * w) * c
            let g = UnsafePointer(outputGrad + row * ow * c)
            for x in 0..<ow {
                let da = dx + base + 2 * x * c, db = da + w * c
                let gx = g + x * c, kx = winners + (row * ow + x) * c
                var ch = 0
                while ch < vectorChannels {
                    let gv = load16(gx + ch)
                    let k = UnsafeRawPointer(kx + ch).loadUnaligned(as: SIMD16<Int32>.self)
                    store16(zero.replacing(with: gv, where: k .== p0), da + ch)
                    store16(zero.replacing(with: gv, where: k .== p1), da + ch + c)
                    store16(zero.replacing(with: gv, where: k .== p2), db + ch)
                    store16(zero.replacing(with: gv, where: k .== p3), db + ch + c)
                    ch += 16
                }
                for ch in vectorChannels..<c {
                    let gv = gx[ch], k = kx[ch]
                    da[ch] = k == 0 ? gv : 0
                    da[ch + c] = k == 1 ? gv : 0
                    db[ch] = k == 2 ? gv : 0
                    db[ch + c] = k == 3 ? gv : 0
                }
            }
        }
    }
}

extension MaxPoolKernel {
    /// The same passes for any pair of layouts, one group of 16 channels at a time (channels % 16
    /// == 0): each layout only changes where a pixel's 16 channels start. Winners are stored where
    /// the output element is. Loops run over (n, y, group, x) so that the two input rows of a
    /// window row stay in cache while both groups are read, whichever the layout.
    fileprivate func forwardGroups(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        let (li, lo) = layouts
        let sx = li.pixelStride(channels: c), dxs = lo.pixelStride(channels: c)
        for n in 0..<batch {
            for y in 0..<oh {
                for g in 0..<(c / 16) {
                    let src0 = input + li.offset(n: n, group: g, y: 2 * y, x: 0, height: h, width: w, channels: c)
                    let src1 = src0 + w * sx
                    let o = lo.offset(n: n, group: g, y: y, x: 0, height: oh, width: ow, channels: c)
                    let dst = output + o
                    if let winners {
                        let k = winners + o
                        for x in 0..<ow {
                            let a = src0 + 2 * x * sx, b = src1 + 2 * x * sx
                            let (best, at) = windowWinner(load16(a), load16(a + sx), load16(b), load16(b + sx))
                            store16(best, dst + x * dxs)
                            UnsafeMutableRawPointer(k + x * dxs).storeBytes(of: at, as: SIMD16<Int32>.self)
                        }
                    } else {
                        for x in 0..<ow {
                            let a = src0 + 2 * x * sx, b = src1 + 2 * x * sx
                            store16(vmax(vmax(load16(a), load16(a + sx)), vmax(load16(b), load16(b + sx))), dst + x * dxs)
                        }
                    }
                }
            }
        }
    }

    fileprivate func backwardGroups(outputGrad: UnsafeMutablePointer<Float>, inputGrad dx: UnsafeMutablePointer<Float>,
                                    winners: UnsafeMutablePointer<Int32>) {
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        let (li, lo) = layouts
        let sx = li.pixelStride(channels: c), gxs = lo.pixelStride(channels: c)
        let zero = SIMD16<Float>(repeating: 0)
        let p0 = SIMD16<Int32>(repeating: 0), p1 = SIMD16<Int32>(repeating: 1)
        let p2 = SIMD16<Int32>(repeating: 2), p3 = SIMD16<Int32>(repeating: 3)
        for n in 0..<batch {
            for y in 0..<oh {
                for g in 0..<(c / 16) {
                    let d0 = dx + li.offset(n: n, group: g, y: 2 * y, x: 0, height: h, width: w, channels: c)
                    let d1 = d0 + w * sx
                    let o = lo.offset(n: n, group: g, y: y, x: 0, height: oh, width: ow, channels: c)
                    let gr = UnsafePointer(outputGrad + o), k = UnsafePointer(winners + o)
                    for x in 0..<ow {
                        let gv = load16(gr + x * gxs)
                        let kv = UnsafeRawPointer(k + x * gxs).loadUnaligned(as: SIMD16<Int32>.self)
                        let da = d0 + 2 * x * sx, db = d1 + 2 * x * sx
                        store16(zero.replacing(with: gv, where: kv .== p0), da)
                        store16(zero.replacing(with: gv, where: kv .== p1), da + sx)
                        store16(zero.replacing(with: gv, where: kv .== p2), db)
                        store16(zero.replacing(with: gv, where: kv .== p3), db + sx)
                    }
                }
            }
        }
    }
}

/// The maximum of a 2x2 window (positions 0-3 in row-major order) for 16 channels, and which
/// position held it: strict `>` keeps the first one on ties (TensorFlow's rule).
@inline(__always) func windowWinner(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ v2: SIMD16<Float>,
                                    _ v3: SIMD16<Float>) -> (best: SIMD16<Float>, at: SIMD16<Int32>) {
    var best = v0, at = SIMD16<Int32>(repeating: 0)
    // Unrolled by hand: an array of the candidates here would cost an allocation per window.
    @inline(__always) func consider(_ v: SIMD16<Float>, _ position: Int32) {
        let better = v .> best
        best = best.replacing(with: v, where: better)
        at = at.replacing(with: SIMD16(repeating: position), where: better)
    }
    consider(v1, 1)
    consider(v2, 2)
    consider(v3, 3)
    return (best, at)
}

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always) func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// Lane-wise max as a compare and select (the standard library's pointwiseMax is a scalar loop).
@inline(__always) func vmax(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    a.replacing(with: b, where: b .> a)
}

@inline(__always) func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}
