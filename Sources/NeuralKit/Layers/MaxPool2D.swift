/// Keras `MaxPooling2D(pool_size=(2, 2))`: stride 2, `valid` (odd trailing rows/columns dropped).
public struct MaxPool2D: Layer {
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

    public func makeKernel(input: [Int], batch: Int, training: Bool) throws -> any LayerKernel {
        _ = try outputShape(for: input)
        return MaxPoolKernel(batch: batch, height: input[0], width: input[1], channels: input[2])
    }
}

final class MaxPoolKernel: LayerKernel {
    let batch: Int, height: Int, width: Int, channels: Int
    let outH: Int, outW: Int

    init(batch: Int, height: Int, width: Int, channels: Int) {
        self.batch = batch; self.height = height; self.width = width; self.channels = channels
        outH = height / 2; outW = width / 2
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        let vectorChannels = c - c % 16
        for row in 0..<(batch * oh) {
            let n = row / oh, y = row % oh
            let src0 = input + ((n * h + 2 * y) * w) * c
            let src1 = src0 + w * c
            let dst = output + row * ow * c
            for x in 0..<ow {
                let a = src0 + 2 * x * c, b = src1 + 2 * x * c, d = dst + x * c
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

    /// The gradient goes to the first maximum of each window in row-major order (TensorFlow's rule
    /// for ties), found again from input and output instead of storing argmax indices. Written with
    /// vector selects: on real data the winner is unpredictable, and the branchy scalar loop took a
    /// quarter of a scratch-CNN training step.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let dx = inputGrad else { return }
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        if h % 2 != 0 || w % 2 != 0 { dx.update(repeating: 0, count: batch * h * w * c) }  // dropped rows/columns
        let vectorChannels = c - c % 16
        let zero = SIMD16<Float>(repeating: 0)
        for row in 0..<(batch * oh) {
            let n = row / oh, y = row % oh
            let base = ((n * h + 2 * y) * w) * c
            let o = output + row * ow * c, g = UnsafePointer(outputGrad + row * ow * c)
            for x in 0..<ow {
                let a = input + base + 2 * x * c, b = a + w * c
                let da = dx + base + 2 * x * c, db = da + w * c
                let ox = o + x * c, gx = g + x * c
                var ch = 0
                while ch < vectorChannels {
                    let m = load16(ox + ch), gv = load16(gx + ch)
                    let e0 = load16(a + ch) .== m, e1 = load16(a + ch + c) .== m, e2 = load16(b + ch) .== m
                    let left1 = gv.replacing(with: 0, where: e0)
                    let left2 = left1.replacing(with: 0, where: e1)
                    store16(zero.replacing(with: gv, where: e0), da + ch)
                    store16(zero.replacing(with: left1, where: e1), da + ch + c)
                    store16(zero.replacing(with: left2, where: e2), db + ch)
                    store16(left2.replacing(with: 0, where: e2), db + ch + c)
                    ch += 16
                }
                for ch in vectorChannels..<c {
                    let m = ox[ch], gv = gx[ch]
                    let e0 = a[ch] == m, e1 = a[ch + c] == m, e2 = b[ch] == m
                    let left1: Float = e0 ? 0 : gv
                    let left2: Float = e1 ? 0 : left1
                    da[ch] = e0 ? gv : 0
                    da[ch + c] = e1 ? left1 : 0
                    db[ch] = e2 ? left2 : 0
                    db[ch + c] = e2 ? 0 : left2
                }
            }
        }
    }
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
