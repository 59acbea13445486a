import XCTest
@testable import NeuralKit

/// Every layer against a naive direct implementation (forward and backward) and against finite
/// differences (backward).
final class LayerTests: XCTestCase {
    struct ConvCase { let h, w, cin, cout, kh, kw: Int; let padding: Padding }
    let convCases = [
        ConvCase(h: 7, w: 5, cin: 3, cout: 4, kh: 3, kw: 3, padding: .same),
        ConvCase(h: 7, w: 5, cin: 3, cout: 4, kh: 3, kw: 3, padding: .valid),
        ConvCase(h: 6, w: 9, cin: 2, cout: 5, kh: 2, kw: 4, padding: .same),   // even kernel: asymmetric padding
        ConvCase(h: 5, w: 6, cin: 4, cout: 3, kh: 5, kw: 1, padding: .valid),
        ConvCase(h: 9, w: 7, cin: 17, cout: 19, kh: 5, kw: 5, padding: .same),  // odd channel counts
        ConvCase(h: 4, w: 4, cin: 32, cout: 32, kh: 1, kw: 1, padding: .valid),
        // 3x3 with channels in multiples of 16: oneDNN's Winograd path with blocked layouts.
        ConvCase(h: 9, w: 6, cin: 16, cout: 32, kh: 3, kw: 3, padding: .same),
        ConvCase(h: 7, w: 10, cin: 32, cout: 16, kh: 3, kw: 3, padding: .valid),
        // 3x3 'same' on maps of up to 4x4: SmallMapWinogradKernel (F(2x2, 3x3) + matmul).
        ConvCase(h: 4, w: 4, cin: 16, cout: 32, kh: 3, kw: 3, padding: .same),
        ConvCase(h: 2, w: 4, cin: 48, cout: 16, kh: 3, kw: 3, padding: .same),
        ConvCase(h: 2, w: 2, cin: 32, cout: 32, kh: 3, kw: 3, padding: .same),
    ]

    func testWinogradIsUsedWhereExpected() throws {
        // Forced: whether Winograd runs by default is what KernelChoices measured on this CPU.
        let wino = try ConvKernel(config: Conv2D(filters: 32, name: "w"), input: [8, 8, 16], output: [8, 8, 32], batch: 2, training: true,
                                  resources: try KernelResources(), winograd: true)
        XCTAssertTrue(wino.winograd, "\(wino.implementations)")
        let chosen = try ConvKernel(config: Conv2D(filters: 32, name: "c"), input: [8, 8, 16], output: [8, 8, 32], batch: 2, training: true, resources: try KernelResources())
        XCTAssertEqual(chosen.winograd, KernelChoices.current.winograd3x3, KernelChoices.current.description)
        let direct = try ConvKernel(config: Conv2D(filters: 32, name: "d"), input: [8, 8, 3], output: [8, 8, 32], batch: 2, training: true, resources: try KernelResources())
        XCTAssertFalse(direct.winograd)
        // VGG16's block 5 (4x4 maps) takes the small-map kernel; 6x6 and odd maps do not.
        let block5 = Conv2D(filters: 512, name: "b5")
        XCTAssertTrue(try block5.makeKernel(input: [4, 4, 512], batch: 2, training: true, resources: try KernelResources()) is SmallMapWinogradKernel)
        XCTAssertFalse(SmallMapWinogradKernel.applies(to: block5, input: [6, 6, 512]))
        XCTAssertFalse(SmallMapWinogradKernel.applies(to: block5, input: [3, 3, 512]))
        XCTAssertFalse(SmallMapWinogradKernel.applies(to: Conv2D(filters: 512, padding: .valid, name: "v"), input: [4, 4, 512]))
    }

    func testConvForwardAndBackwardMatchNaiveLoops() throws {
        for (ci, c) in convCases.enumerated() {
            for activation in [Activation.linear, .relu] {
                let layer = Conv2D(filters: c.cout, kernelSize: (c.kh, c.kw), padding: c.padding, activation: activation, name: "c\(ci)")
                let n = 2
                let h = try LayerHarness(layer, input: [c.h, c.w, c.cin], batch: n)
                let x = randomFloats(h.inputCount, seed: UInt64(ci))
                let k = randomFloats(c.kh * c.kw * c.cin * c.cout, seed: UInt64(ci + 100))
                let b = randomFloats(c.cout, seed: UInt64(ci + 200))
                let ref = Naive.conv(x, n: n, h: c.h, w: c.w, cin: c.cin, kernel: k, kh: c.kh, kw: c.kw,
                                     cout: c.cout, bias: b, same: c.padding == .same)
                XCTAssertEqual(h.outputShape, [ref.oh, ref.ow, c.cout])
                let expected = Naive.activation(activation, ref.y, width: c.cout)
                let y = try h.forward(x, [k, b])
                assertClose(y, expected, absolute: 1e-4, relative: 1e-4, "conv case \(ci) \(activation) forward")

                let r = randomFloats(h.outputCount, seed: UInt64(ci + 300))
                // dL/dz = r masked by the activation's derivative.
                let gz = activation == .relu ? zip(r, expected).map { $1 > 0 ? $0 : 0 } : r
                let refB = Naive.convBackward(x, n: n, h: c.h, w: c.w, cin: c.cin, kernel: k, kh: c.kh, kw: c.kw,
                                              cout: c.cout, same: c.padding == .same, g: gz)
                let (dx, dp) = try h.backward(x, [k, b], r: r)
                assertClose(dx, refB.dx, absolute: 1e-4, relative: 1e-4, "conv case \(ci) dx")
                assertClose(dp[0], refB.dk, absolute: 1e-4, relative: 1e-4, "conv case \(ci) dkernel")
                assertClose(dp[1], refB.db, absolute: 1e-4, relative: 1e-4, "conv case \(ci) dbias")
            }
        }
    }

    /// bf16 mode (opt-in): the convolutions see bf16-rounded inputs, weights and output gradients
    /// and accumulate in float32, so they match the naive loops run on the rounded values, and
    /// differ from the float32 result by about bf16's precision (which shows the rounding ran).
    func testBF16ConvolutionsMatchNaiveLoopsOnRoundedValues() throws {
        guard KernelChoices.current.hasBF16 else {
            throw XCTSkip("no bf16 instructions on this CPU (\(KernelChoices.current.cpuModel))")
        }
        func bf16(_ v: [Float]) -> [Float] {  // round to nearest even, as oneDNN's reorder does
            v.map { let b = $0.bitPattern; return Float(bitPattern: (b &+ 0x7FFF &+ ((b >> 16) & 1)) & 0xFFFF_0000) }
        }
        for (ci, c) in convCases.enumerated() {
            let layer = Conv2D(filters: c.cout, kernelSize: (c.kh, c.kw), padding: c.padding, name: "b\(ci)")
            guard !SmallMapWinogradKernel.applies(to: layer, input: [c.h, c.w, c.cin]) else { continue }
            let n = 2
            let kernel = try ConvKernel(config: layer, input: [c.h, c.w, c.cin], output: try layer.outputShape(for: [c.h, c.w, c.cin]),
                                        batch: n, training: true, resources: try KernelResources(), bf16: true)
            XCTAssertTrue(kernel.bf16 && !kernel.winograd, "\(kernel.implementations)")
            let h = try LayerHarness(layer, input: [c.h, c.w, c.cin], batch: n, kernel: kernel)
            let x = randomFloats(h.inputCount, seed: UInt64(ci))
            let k = randomFloats(c.kh * c.kw * c.cin * c.cout, seed: UInt64(ci + 100))
            let b = randomFloats(c.cout, seed: UInt64(ci + 200))
            let r = randomFloats(h.outputCount, seed: UInt64(ci + 300))
            let same = c.padding == .same
            let rounded = Naive.conv(bf16(x), n: n, h: c.h, w: c.w, cin: c.cin, kernel: bf16(k), kh: c.kh, kw: c.kw,
                                     cout: c.cout, bias: b, same: same)
            let exact = Naive.conv(x, n: n, h: c.h, w: c.w, cin: c.cin, kernel: k, kh: c.kh, kw: c.kw, cout: c.cout, bias: b, same: same)
            let y = try h.forward(x, [k, b])
            assertClose(y, rounded.y, absolute: 1e-4, relative: 1e-4, "bf16 conv case \(ci) forward")
            XCTAssertGreaterThan(zip(y, exact.y).map { abs($0 - $1) }.max() ?? 0, 1e-4, "case \(ci): no bf16 rounding seen")
            let refB = Naive.convBackward(bf16(x), n: n, h: c.h, w: c.w, cin: c.cin, kernel: bf16(k), kh: c.kh, kw: c.kw,
                                          cout: c.cout, same: same, g: bf16(r))
            let (dx, dp) = try h.backward(x, [k, b], r: r)
            assertClose(dx, refB.dx, absolute: 1e-4, relative: 1e-4, "bf16 conv case \(ci) dx")
            assertClose(dp[0], refB.dk, absolute: 1e-4, relative: 1e-4, "bf16 conv case \(ci) dkernel")
            assertClose(dp[1], refB.db, absolute: 1e-4, relative: 1e-4, "bf16 conv case \(ci) dbias")
        }
    }

    func testConvGradientsMatchFiniteDifferences() throws {
        for (ci, c) in convCases.prefix(4).enumerated() {
            let layer = Conv2D(filters: c.cout, kernelSize: (c.kh, c.kw), padding: c.padding, activation: .sigmoid, name: "c\(ci)")
            let h = try LayerHarness(layer, input: [c.h, c.w, c.cin], batch: 2)
            try h.checkGradients(randomFloats(h.inputCount, seed: 1), [randomFloats(c.kh * c.kw * c.cin * c.cout, seed: 2),
                                 randomFloats(c.cout, seed: 3)], r: randomFloats(h.outputCount, seed: 4))
        }
    }

    func testDenseMatchesNaiveAndFiniteDifferences() throws {
        for activation in Activation.allCases {
            let layer = Dense(7, activation: activation, name: "d")
            let h = try LayerHarness(layer, input: [11], batch: 3)
            let x = randomFloats(33, seed: 5), k = randomFloats(77, seed: 6), b = randomFloats(7, seed: 7)
            let expected = Naive.activation(activation, Naive.dense(x, n: 3, inputs: 11, kernel: k, bias: b, units: 7), width: 7)
            assertClose(try h.forward(x, [k, b]), expected, absolute: 1e-5, relative: 1e-5, "dense \(activation)")
            // ReLU's kink: keep pre-activations away from 0 by using a bias with margin.
            let safeB = activation == .relu ? b.map { $0 + ($0 >= 0 ? 0.5 : -0.5) } : b
            try h.checkGradients(x, [k, safeB], r: randomFloats(21, seed: 8), eps: 1e-3)
        }
    }

    func testMaxPoolMatchesNaiveAndRoutesGradientsToTheMaximum() throws {
        try forEachKernelPath { path in
            // 32 and 35 channels: groups of 16 channels (35: plus a group of 3).
            for (hh, ww, cc) in [(4, 4, 3), (5, 7, 3), (3, 2, 3), (4, 6, 32), (5, 5, 35)] {
                let h = try LayerHarness(MaxPool2D(name: "p"), input: [hh, ww, cc], batch: 2)
                // A permutation of distinct values spaced 0.1 apart: no ties, no kinks within eps.
                var g = SeededGenerator(seed: UInt64(hh * 10 + ww))
                let x = g.permutation(h.inputCount).map { Float($0) * 0.1 }
                XCTAssertEqual(try h.forward(x, []), Naive.maxPool(x, n: 2, h: hh, w: ww, c: cc), "\(path) \([hh, ww, cc])")
                try h.checkGradients(x, [], r: randomFloats(h.outputCount, seed: 9), eps: 1e-2, tolerance: 1e-3)
            }
        }
    }

    func testMaxPoolGivesTiesToTheFirstElementOnly() throws {
        try forEachKernelPath { path in
            let h = try LayerHarness(MaxPool2D(name: "p"), input: [2, 2, 1], batch: 1)
            let (dx, _) = try h.backward([1, 1, 1, 1], [], r: [5])
            XCTAssertEqual(dx, [5, 0, 0, 0], path)
            // 16 channels, ties between various positions of the window.
            let v = try LayerHarness(MaxPool2D(name: "p"), input: [2, 2, 16], batch: 1)
            var x = [Float](repeating: 0, count: 64)
            for ch in 0..<16 { for pos in 0..<4 { x[pos * 16 + ch] = (ch >> pos) & 1 == 1 ? 2 : 1 } }
            let dv = try v.backward(x, [], r: [Float](repeating: 3, count: 16)).dx
            for ch in 0..<16 {
                let winners = (0..<4).filter { dv[$0 * 16 + ch] != 0 }
                let first = ch == 0 ? 0 : (0..<4).first { (ch >> $0) & 1 == 1 }!
                XCTAssertEqual(winners, [first], "\(path) channel \(ch)")
            }
        }
    }

    func testActivationLayersMatchNaiveAndFiniteDifferences() throws {
        for activation in Activation.allCases {
            let layer = ActivationLayer(activation, name: "a")
            let h = try LayerHarness(layer, input: [6], batch: 4)
            var x = randomFloats(24, seed: 10, range: -3...3)
            if activation == .relu { x = x.map { $0 + ($0 >= 0 ? 0.2 : -0.2) } }
            assertClose(try h.forward(x, []), Naive.activation(activation, x, width: 6), absolute: 1e-6, relative: 1e-5, "\(activation)")
            try h.checkGradients(x, [], r: randomFloats(24, seed: 11), eps: 1e-3, tolerance: 5e-3)
        }
    }

    /// Every layer that can read or write nChw16c gives the NHWC results in every layout pair it
    /// accepts (the harness converts), forward and backward; and the layouts really are used.
    func testBlockedLayoutsGiveTheNHWCResults() throws {
        let cases: [(any BlockedLayoutLayer, [Int])] = [
            (Conv2D(filters: 32, name: "direct3"), [7, 6, 3]),             // scratch CNN's conv1 shape, small
            (Conv2D(filters: 32, activation: .relu, name: "directRelu"), [5, 5, 3]),
            (Conv2D(filters: 32, name: "wino"), [9, 6, 16]),
            (Conv2D(filters: 16, padding: .valid, activation: .relu, name: "winoValid"), [7, 10, 32]),
            (MaxPool2D(name: "pool"), [6, 8, 32]),
            (MaxPool2D(name: "poolOdd"), [7, 5, 16]),                      // dropped last row and column
            (Flatten(name: "flatten"), [3, 2, 32]),
        ]
        var blockedRuns = 0
        try forEachKernelPath { path in
            for (ci, (layer, input)) in cases.enumerated() {
                let n = 2
                let ref = try LayerHarness(layer, input: input, batch: n)
                let x = randomFloats(ref.inputCount, seed: UInt64(300 + ci), range: -2...2)
                let params = ref.specs.enumerated().map { randomFloats($0.element.shape.reduce(1, *), seed: UInt64(400 + ci * 10 + $0.offset)) }
                let r = randomFloats(ref.outputCount, seed: UInt64(500 + ci))
                let y0 = try ref.forward(x, params)
                let g0 = try ref.backward(x, params, r: r)
                for li in [ActivationLayout.nhwc, .blocked16] where layer.canRead(li, input: input) {
                    for lo in [ActivationLayout.nhwc, .blocked16] where layer.canWrite(lo, input: input) && (li, lo) != (.nhwc, .nhwc) {
                        blockedRuns += 1
                        let h = try LayerHarness(layer, input: input, batch: n, layouts: (li, lo))
                        let what = "\(path) \(layer.name) \(li)->\(lo)"
                        assertClose(try h.forward(x, params), y0, absolute: 1e-4, relative: 1e-4, what + " forward")
                        let g = try h.backward(x, params, r: r)
                        assertClose(g.dx, g0.dx, absolute: 1e-4, relative: 1e-4, what + " dx")
                        for k in params.indices {
                            assertClose(g.dp[k], g0.dp[k], absolute: 1e-3, relative: 1e-4, what + " d\(ref.specs[k].name)")
                        }
                    }
                }
            }
        }
        // Per kernel path: direct3: 1, directRelu: 1, wino: 3, winoValid: 3, pool: 3, poolOdd: 3, flatten: 1
        XCTAssertEqual(blockedRuns, 2 * 15)
    }

    func testScratchCNNKeepsNChw16cBetweenItsConvolutionsAndPools() throws {
        let m = try Architectures.scratchCNN(classes: 24)
        let b = ActivationLayout.blocked16
        // input, conv, pool, conv, pool, conv, pool, flatten, then the dense part
        XCTAssertEqual(ExecutionPlan.layouts(for: m), [.nhwc, b, b, b, b, b, b] + Array(repeating: .nhwc, count: 7))
        let vgg = try Sequential(inputShape: [16, 16, 3], layers: Architectures.vgg16Blocks(1...2), seed: 1)
        XCTAssertEqual(ExecutionPlan.layouts(for: vgg), [.nhwc] + Array(repeating: b, count: 5) + [.nhwc])
    }

    func testFlattenKeepsHWCOrder() throws {
        let h = try LayerHarness(Flatten(name: "f"), input: [2, 3, 4], batch: 2)
        let x = (0..<48).map(Float.init)
        XCTAssertEqual(h.outputShape, [24])
        XCTAssertEqual(try h.forward(x, []), x)
        XCTAssertEqual(try h.backward(x, [], r: x.map { -$0 }).dx, x.map { -$0 })
    }

    func testSoftmaxCrossEntropyMatchesDefinitionAndFiniteDifferences() throws {
        let classes = 5, n = 3
        let logits = randomFloats(n * classes, seed: 12, range: -2...2)
        let labels = [0, 3, 4]
        func loss(_ z: [Float]) throws -> Double {
            let p = Naive.activation(.softmax, z, width: classes)
            return try p.withUnsafeBufferPointer {
                try SoftmaxCrossEntropy.lossAndGradient(probabilities: $0.baseAddress!, labels: labels, classes: classes, gradient: nil).loss
            }
        }
        // Definition: mean of -log softmax(z)[label].
        var expected = 0.0
        for r in 0..<n {
            let row = logits[r * classes..<(r + 1) * classes].map(Double.init)
            expected += log(row.map(exp).reduce(0, +)) - row[labels[r]]
        }
        XCTAssertEqual(try loss(logits), expected / Double(n), accuracy: 1e-5)
        var grad = [Float](repeating: 0, count: n * classes)
        let p = Naive.activation(.softmax, logits, width: classes)
        _ = try p.withUnsafeBufferPointer { pp in
            try grad.withUnsafeMutableBufferPointer {
                try SoftmaxCrossEntropy.lossAndGradient(probabilities: pp.baseAddress!, labels: labels, classes: classes, gradient: $0.baseAddress!)
            }
        }
        for i in 0..<(n * classes) {
            var a = logits, b = logits
            a[i] += 1e-2; b[i] -= 1e-2
            XCTAssertEqual((try loss(a) - loss(b)) / 2e-2, Double(grad[i]), accuracy: 1e-3, "d loss / d z[\(i)]")
        }
    }

    func testBadLayerConfigurationsThrow() {
        XCTAssertThrowsError(try Conv2D(filters: 4, kernelSize: (5, 5), padding: .valid, name: "c").outputShape(for: [3, 3, 1]))
        XCTAssertThrowsError(try Dense(4, name: "d").outputShape(for: [2, 2, 1]))
        XCTAssertThrowsError(try MaxPool2D(name: "p").outputShape(for: [1, 4, 2]))
        XCTAssertThrowsError(try Sequential(inputShape: [4], layers: [Dense(2, name: "x"), Dense(2, name: "x")]))
    }
}
