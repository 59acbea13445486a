/// Flatten of an nChw16c input: the copy that Flatten does anyway, gathering into H, W, C order.
final class UnblockKernel: LayerKernel {
    let batch: Int, height: Int, width: Int, channels: Int

    init(batch: Int, height: Int, width: Int, channels: Int) {
        self.batch = batch; self.height = height; self.width = width; self.channels = channels
    }

    /// Calls body(blocked offset, NHWC offset) for every 16-channel run.
    @inline(__always) private func forEachRun(_ body: (Int, Int) -> Void) {
        let (h, w, c) = (height, width, channels)
        for n in 0..<batch {
            for g in 0..<(c / 16) {
                for y in 0..<h {
                    for x in 0..<w {
                        body(ActivationLayout.blocked16.offset(n: n, group: g, y: y, x: x, height: h, width: w, channels: c),
                             ActivationLayout.nhwc.offset(n: n, group: g, y: y, x: x, height: h, width: w, channels: c))
                    }
                }
            }
        }
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws {
        forEachRun { b, f in store16(load16(input + b), output + f) }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws {
        guard let dx = inputGrad else { return }
        forEachRun { b, f in store16(load16(outputGrad + f), dx + b) }
    }
}
