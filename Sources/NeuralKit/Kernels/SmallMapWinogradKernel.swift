import CDNNL

/// A 3x3 'same' convolution on small maps (VGG16's block 5 at 4x4) as Winograd F(2x2, 3x3):
/// each 2x2 output tile comes from a 4x4 input tile, so the work is 16 independent matrix products
/// (one per tile position) of [tiles x cin] by [cin x cout], run as one batched oneDNN matmul.
///
/// Why not oneDNN's own Winograd: its F(4x4, 3x3) kernels have a single tile per image at 4x4, and
/// they and their weight reorders ran at about half of what the matmul reaches on these shapes
/// (docs/neuralkit.md, "Small maps"). Data is NHWC on both sides; weights stay Keras' HWIO and are
/// transformed once per parameter change.
///
/// Transforms (Lavin & Gray's F(2x2, 3x3)): V = Bᵀ d B, U = G g Gᵀ, y = Aᵀ (U ⊙ V) A, with
///   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
///   Aᵀ = [1 1 1 0; 0 1 -1 -1].
/// The backward passes apply the transposed transforms in reverse order.
final class SmallMapWinogradKernel: LayerKernel {
    typealias Vec = SIMD16<Float>

    let batch: Int, height: Int, width: Int, inputChannels: Int, outputChannels: Int
    let activation: Activation
    /// Tiles per image row / column, and tiles in the batch (the matmul's M).
    let tilesY: Int, tilesX: Int, tiles: Int
    let stream: DNNLStream

    /// Transformed input [16][tiles][cin]; in the backward pass, reused for its gradient.
    private let v: FloatBuffer
    /// Transformed weights [16][cin][cout].
    private let u: FloatBuffer
    /// Products [16][tiles][cout]; in the backward pass, the transformed output gradient.
    private let m: FloatBuffer
    /// Stands in for the rows and columns of zero padding around the image.
    private let zeros: FloatBuffer
    private var weightsFresh = false

    private let forwardProduct: DNNLPrimitive
    // oneDNN views of the buffers above.
    private let vMem: DNNLMemory, uMem: DNNLMemory, mMem: DNNLMemory

    /// What only training needs.
    private struct Backward {
        /// Transformed weight gradient [16][cin][cout], and its oneDNN view.
        let du: FloatBuffer, duMem: DNNLMemory
        /// V and U transposed (by strides, same buffers).
        let vT: DNNLMemory, uT: DNNLMemory
        let dataProduct: DNNLPrimitive     // dV = dM Uᵀ
        let weightsProduct: DNNLPrimitive  // dU = Vᵀ dM
    }
    private let backwardParts: Backward?

    /// Where this kernel applies: small even-sized maps (one to four tiles per image) and channel
    /// counts in 16s (the transforms run on 16-float vectors).
    static func applies(to config: Conv2D, input: [Int]) -> Bool {
        config.kernelSize == (3, 3) && config.padding == .same && input.count == 3
            && input[0] % 2 == 0 && input[1] % 2 == 0 && input[0] * input[1] <= 16
            && input[2] % 16 == 0 && config.filters % 16 == 0
    }

    init(config: Conv2D, input: [Int], batch: Int, training: Bool, resources: KernelResources) throws {
        precondition(Self.applies(to: config, input: input))
        self.batch = batch
        height = input[0]; width = input[1]
        inputChannels = input[2]; outputChannels = config.filters
        activation = config.activation
        tilesY = height / 2; tilesX = width / 2
        tiles = batch * tilesY * tilesX
        stream = resources.stream
        let cin = inputChannels, cout = outputChannels
        v = FloatBuffer(count: 16 * tiles * cin)
        u = FloatBuffer(count: 16 * cin * cout)
        m = FloatBuffer(count: 16 * tiles * cout)
        zeros = FloatBuffer(count: cin)

        let engine = resources.engine
        func memory(_ dims: [Int], _ tag: dnnl_format_tag_t, _ buffer: FloatBuffer) throws -> DNNLMemory {
            let mem = try DNNLMemory(desc: try dnnlDesc(dims, tag), engine: engine)
            try mem.point(at: buffer.pointer)
            return mem
        }
        vMem = try memory([16, tiles, cin], dnnl_abc, v)
        uMem = try memory([16, cin, cout], dnnl_abc, u)
        mMem = try memory([16, tiles, cout], dnnl_abc, m)
        forwardProduct = try dnnlMatmul(vMem, uMem, mMem, resources: resources)
        if training {
            let du = FloatBuffer(count: 16 * cin * cout)
            let duMem = try memory([16, cin, cout], dnnl_abc, du)
            let vT = try memory([16, cin, tiles], dnnl_acb, v), uT = try memory([16, cout, cin], dnnl_acb, u)
            backwardParts = Backward(du: du, duMem: duMem, vT: vT, uT: uT,
                                     dataProduct: try dnnlMatmul(mMem, uT, vMem, resources: resources),
                                     weightsProduct: try dnnlMatmul(vT, mMem, duMem, resources: resources))
        } else {
            backwardParts = nil
        }
    }

    func parametersChanged() { weightsFresh = false }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        if !weightsFresh { transformWeights(parameters[0]) }
        weightsFresh = true
        transformInput(input)
        try forwardProduct.execute(stream, [(DNNL_ARG_SRC, vMem), (DNNL_ARG_WEIGHTS, uMem), (DNNL_ARG_DST, mMem)])
        transformOutput(into: output, bias: parameters[1])
        activation.forward(output, rows: batch * height * width, width: outputChannels)
    }

    /// Expects the forward pass of the same batch just before (V and U are reused).
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let b = backwardParts else {
            throw NeuralKitError.backend("Conv2D backward called on an inference plan")
        }
        let pixels = batch * height * width
        if !gradIsPreActivation {
            activation.backward(output: output, grad: outputGrad, rows: pixels, width: outputChannels)
        }
        transformOutputGrad(outputGrad)
        if let grads = parameterGrads {
            try b.weightsProduct.execute(stream, [(DNNL_ARG_SRC, b.vT), (DNNL_ARG_WEIGHTS, mMem), (DNNL_ARG_DST, b.duMem)])
            transformWeightGrad(b.du.pointer, into: grads[0])
            sumBiasGrad(outputGrad, pixels: pixels, into: grads[1])
        }
        if let dx = inputGrad {
            if !weightsFresh { transformWeights(parameters[0]) }
            weightsFresh = true
            // V is not needed any more (dU is done): its buffer takes dV.
            try b.dataProduct.execute(stream, [(DNNL_ARG_SRC, mMem), (DNNL_ARG_WEIGHTS, b.uT), (DNNL_ARG_DST, vMem)])
            transformInputGrad(into: dx)
        }
    }

    // MARK: Transforms. Every loop runs over channels in vectors of 16.

    /// The input pixel (n, y, x), or the zero row outside the image.
    @inline(__always) private func pixel(_ base: UnsafePointer<Float>, n: Int, y: Int, x: Int) -> UnsafePointer<Float> {
        guard y >= 0, y < height, x >= 0, x < width else { return UnsafePointer(zeros.pointer) }
        return base + ((n * height + y) * width + x) * inputChannels
    }

    /// Calls `body(n, ty, tx, tile)` for every tile: image n, tile row ty, column tx, and the
    /// tile's row in V and M.
    @inline(__always) private func forEachTile(_ body: (Int, Int, Int, Int) -> Void) {
        for n in 0..<batch {
            for ty in 0..<tilesY {
                for tx in 0..<tilesX { body(n, ty, tx, (n * tilesY + ty) * tilesX + tx) }
            }
        }
    }

    /// U = G g Gᵀ for every (cin, cout) pair; Keras' HWIO kernel makes those pairs contiguous.
    private func transformWeights(_ g: UnsafePointer<Float>) {
        let plane = inputChannels * outputChannels, out = u.pointer
        for j in stride(from: 0, to: plane, by: 16) {
            @inline(__always) func tap(_ kh: Int, _ kw: Int) -> Vec { load16(g + (kh * 3 + kw) * plane + j) }
            // G over kh, then G over kw for each of the four rows.
            let r0 = (tap(0, 0), tap(0, 1), tap(0, 2)), r3 = (tap(2, 0), tap(2, 1), tap(2, 2))
            let m1 = (tap(1, 0), tap(1, 1), tap(1, 2))
            let r1 = (0.5 * (r0.0 + m1.0 + r3.0), 0.5 * (r0.1 + m1.1 + r3.1), 0.5 * (r0.2 + m1.2 + r3.2))
            let r2 = (0.5 * (r0.0 - m1.0 + r3.0), 0.5 * (r0.1 - m1.1 + r3.1), 0.5 * (r0.2 - m1.2 + r3.2))
            @inline(__always) func row(_ i: Int, _ r: (Vec, Vec, Vec)) {
                store16(r.0, out + (i * 4) * plane + j)
                store16(0.5 * (r.0 + r.1 + r.2), out + (i * 4 + 1) * plane + j)
                store16(0.5 * (r.0 - r.1 + r.2), out + (i * 4 + 2) * plane + j)
                store16(r.2, out + (i * 4 + 3) * plane + j)
            }
            row(0, r0); row(1, r1); row(2, r2); row(3, r3)
        }
    }

    /// dg = Gᵀ dU G, written over the kernel gradient.
    private func transformWeightGrad(_ du: UnsafeMutablePointer<Float>, into dg: UnsafeMutablePointer<Float>) {
        let plane = inputChannels * outputChannels, src = UnsafePointer(du)
        for j in stride(from: 0, to: plane, by: 16) {
            // Gᵀ over the tile column b (4 -> 3 kw) for each tile row a.
            @inline(__always) func cols(_ a: Int) -> (Vec, Vec, Vec) {
                let b0 = load16(src + (a * 4) * plane + j), b1 = load16(src + (a * 4 + 1) * plane + j)
                let b2 = load16(src + (a * 4 + 2) * plane + j), b3 = load16(src + (a * 4 + 3) * plane + j)
                return (b0 + 0.5 * (b1 + b2), 0.5 * (b1 - b2), 0.5 * (b1 + b2) + b3)
            }
            let a0 = cols(0), a1 = cols(1), a2 = cols(2), a3 = cols(3)
            // Then Gᵀ over the tile row a (4 -> 3 kh).
            @inline(__always) func put(_ kh: Int, _ r: (Vec, Vec, Vec)) {
                store16(r.0, dg + (kh * 3) * plane + j)
                store16(r.1, dg + (kh * 3 + 1) * plane + j)
                store16(r.2, dg + (kh * 3 + 2) * plane + j)
            }
            put(0, (a0.0 + 0.5 * (a1.0 + a2.0), a0.1 + 0.5 * (a1.1 + a2.1), a0.2 + 0.5 * (a1.2 + a2.2)))
            put(1, (0.5 * (a1.0 - a2.0), 0.5 * (a1.1 - a2.1), 0.5 * (a1.2 - a2.2)))
            put(2, (0.5 * (a1.0 + a2.0) + a3.0, 0.5 * (a1.1 + a2.1) + a3.1, 0.5 * (a1.2 + a2.2) + a3.2))
        }
    }

    /// V = Bᵀ d B for every tile, d being the 4x4 input patch starting one pixel up and left of
    /// the tile's 2x2 outputs (the 'same' padding).
    private func transformInput(_ x: UnsafePointer<Float>) {
        let cin = inputChannels, stride = tiles * cin, out = v.pointer
        forEachTile { n, ty, tx, tile in
            let base = tile * cin
            let y0 = 2 * ty - 1, x0 = 2 * tx - 1
            @inline(__always) func rowPointers(_ i: Int) -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) {
                (pixel(x, n: n, y: y0 + i, x: x0), pixel(x, n: n, y: y0 + i, x: x0 + 1),
                 pixel(x, n: n, y: y0 + i, x: x0 + 2), pixel(x, n: n, y: y0 + i, x: x0 + 3))
            }
            let p0 = rowPointers(0), p1 = rowPointers(1), p2 = rowPointers(2), p3 = rowPointers(3)
            for c in Swift.stride(from: 0, to: cin, by: 16) {
                @inline(__always) func row(_ p: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)) -> (Vec, Vec, Vec, Vec) {
                    (load16(p.0 + c), load16(p.1 + c), load16(p.2 + c), load16(p.3 + c))
                }
                let d0 = row(p0), d1 = row(p1), d2 = row(p2), d3 = row(p3)
                // Bᵀ over rows.
                let t0 = (d0.0 - d2.0, d0.1 - d2.1, d0.2 - d2.2, d0.3 - d2.3)
                let t1 = (d1.0 + d2.0, d1.1 + d2.1, d1.2 + d2.2, d1.3 + d2.3)
                let t2 = (d2.0 - d1.0, d2.1 - d1.1, d2.2 - d1.2, d2.3 - d1.3)
                let t3 = (d1.0 - d3.0, d1.1 - d3.1, d1.2 - d3.2, d1.3 - d3.3)
                // B over columns.
                @inline(__always) func put(_ i: Int, _ t: (Vec, Vec, Vec, Vec)) {
                    let o = base + c + i * 4 * stride
                    store16(t.0 - t.2, out + o)
                    store16(t.1 + t.2, out + o + stride)
                    store16(t.2 - t.1, out + o + 2 * stride)
                    store16(t.1 - t.3, out + o + 3 * stride)
                }
                put(0, t0); put(1, t1); put(2, t2); put(3, t3)
            }
        }
    }

    /// y = Aᵀ M A + bias for every tile, into the NHWC output.
    private func transformOutput(into y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>) {
        let cout = outputChannels, stride = tiles * cout, src = UnsafePointer(m.pointer)
        forEachTile { n, ty, tx, tile in
            let base = tile * cout
            let o00 = ((n * height + 2 * ty) * width + 2 * tx) * cout
            let o10 = o00 + width * cout
            for c in Swift.stride(from: 0, to: cout, by: 16) {
                // Aᵀ over the columns of each row i: (m0 + m1 + m2, m1 - m2 - m3).
                @inline(__always) func row(_ i: Int) -> (Vec, Vec) {
                    let o = base + c + i * 4 * stride
                    let m0 = load16(src + o), m1 = load16(src + o + stride)
                    let m2 = load16(src + o + 2 * stride), m3 = load16(src + o + 3 * stride)
                    return (m0 + m1 + m2, m1 - m2 - m3)
                }
                let s0 = row(0), s1 = row(1), s2 = row(2), s3 = row(3)
                let b = load16(bias + c)
                store16(s0.0 + s1.0 + s2.0 + b, y + o00 + c)
                store16(s0.1 + s1.1 + s2.1 + b, y + o00 + cout + c)
                store16(s1.0 - s2.0 - s3.0 + b, y + o10 + c)
                store16(s1.1 - s2.1 - s3.1 + b, y + o10 + cout + c)
            }
        }
    }

    /// dM = A dZ Aᵀ for every tile, into `m`.
    private func transformOutputGrad(_ dz: UnsafePointer<Float>) {
        let cout = outputChannels, stride = tiles * cout, out = m.pointer
        forEachTile { n, ty, tx, tile in
            let base = tile * cout
            let o00 = ((n * height + 2 * ty) * width + 2 * tx) * cout
            let o10 = o00 + width * cout
            for c in Swift.stride(from: 0, to: cout, by: 16) {
                let z00 = load16(dz + o00 + c), z01 = load16(dz + o00 + cout + c)
                let z10 = load16(dz + o10 + c), z11 = load16(dz + o10 + cout + c)
                // A over rows: (z0, z0 + z1, z0 - z1, -z1), per column.
                let u0 = (z00, z01), u1 = (z00 + z10, z01 + z11), u2 = (z00 - z10, z01 - z11), u3 = (-z10, -z11)
                @inline(__always) func put(_ i: Int, _ r: (Vec, Vec)) {
                    let o = base + c + i * 4 * stride
                    store16(r.0, out + o)
                    store16(r.0 + r.1, out + o + stride)
                    store16(r.0 - r.1, out + o + 2 * stride)
                    store16(-r.1, out + o + 3 * stride)
                }
                put(0, u0); put(1, u1); put(2, u2); put(3, u3)
            }
        }
    }

    /// dx = B dV Bᵀ per tile, summed where tiles overlap; padding positions are dropped.
    private func transformInputGrad(into dx: UnsafeMutablePointer<Float>) {
        let cin = inputChannels, stride = tiles * cin, src = UnsafePointer(v.pointer)
        dx.update(repeating: 0, count: batch * height * width * cin)
        forEachTile { n, ty, tx, tile in
            let base = tile * cin
            let y0 = 2 * ty - 1, x0 = 2 * tx - 1
            for c in Swift.stride(from: 0, to: cin, by: 16) {
                // B over the columns of each row i: (v0, v1 - v2 + v3, v1 + v2 - v0, -v3).
                @inline(__always) func row(_ i: Int) -> (Vec, Vec, Vec, Vec) {
                    let o = base + c + i * 4 * stride
                    let v0 = load16(src + o), v1 = load16(src + o + stride)
                    let v2 = load16(src + o + 2 * stride), v3 = load16(src + o + 3 * stride)
                    return (v0, v1 - v2 + v3, v1 + v2 - v0, -v3)
                }
                let e0 = row(0), e1 = row(1), e2 = row(2), e3 = row(3)
                // Then over rows, the same combination.
                @inline(__always) func add(_ i: Int, _ r: (Vec, Vec, Vec, Vec)) {
                    let y = y0 + i
                    guard y >= 0, y < height else { return }
                    @inline(__always) func at(_ j: Int, _ value: Vec) {
                        let x = x0 + j
                        guard x >= 0, x < width else { return }
                        let o = ((n * height + y) * width + x) * cin + c
                        store16(load16(dx + o) + value, dx + o)
                    }
                    at(0, r.0); at(1, r.1); at(2, r.2); at(3, r.3)
                }
                add(0, e0)
                add(1, (e1.0 - e2.0 + e3.0, e1.1 - e2.1 + e3.1, e1.2 - e2.2 + e3.2, e1.3 - e2.3 + e3.3))
                add(2, (e1.0 + e2.0 - e0.0, e1.1 + e2.1 - e0.1, e1.2 + e2.2 - e0.2, e1.3 + e2.3 - e0.3))
                add(3, (-e3.0, -e3.1, -e3.2, -e3.3))
            }
        }
    }

    /// dbias = the sum of dZ over all pixels of the batch.
    private func sumBiasGrad(_ dz: UnsafePointer<Float>, pixels: Int, into db: UnsafeMutablePointer<Float>) {
        let cout = outputChannels
        for c in Swift.stride(from: 0, to: cout, by: 16) {
            var s = Vec()
            for p in 0..<pixels { s += load16(dz + p * cout + c) }
            store16(s, db + c)
        }
    }
}
