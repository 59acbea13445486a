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
        Parallel.chunks(batch * oh, minimumPerChunk: 1) { rows in
            for row in rows {
                let n = row / oh, y = row % oh
                let src0 = input + ((n * h + 2 * y) * w) * c
                let src1 = src0 + w * c
                let dst = output + ((n * oh + y) * ow) * c
                for x in 0..<ow {
                    let a = src0 + 2 * x * c, b = src1 + 2 * x * c, d = dst + x * c
                    for ch in 0..<c {
                        d[ch] = max(max(a[ch], a[ch + c]), max(b[ch], b[ch + c]))
                    }
                }
            }
        }
    }

    /// The gradient goes to the first maximum of each window in row-major order (TensorFlow's rule
    /// for ties), found again from input and output instead of storing argmax indices.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let dx = inputGrad else { return }
        let (h, w, c, oh, ow) = (height, width, channels, outH, outW)
        Parallel.chunks(batch * oh, minimumPerChunk: 1) { rows in
            for row in rows {
                let n = row / oh, y = row % oh
                let base = ((n * h + 2 * y) * w) * c
                // Clear both input rows of this output row (and the dropped odd column/row).
                let rowEnd = (y == oh - 1) ? (n + 1) * h * w * c : base + 2 * w * c
                (dx + base).update(repeating: 0, count: rowEnd - base)
                let o = output + ((n * oh + y) * ow) * c
                let g = outputGrad + ((n * oh + y) * ow) * c
                for x in 0..<ow {
                    let i00 = base + 2 * x * c
                    let offsets = (i00, i00 + c, i00 + w * c, i00 + w * c + c)
                    for ch in 0..<c {
                        let m = o[x * c + ch], gv = g[x * c + ch]
                        if input[offsets.0 + ch] == m { dx[offsets.0 + ch] = gv }
                        else if input[offsets.1 + ch] == m { dx[offsets.1 + ch] = gv }
                        else if input[offsets.2 + ch] == m { dx[offsets.2 + ch] = gv }
                        else { dx[offsets.3 + ch] = gv }
                    }
                }
            }
        }
    }
}
