import XCTest
@testable import NeuralKit
import CNeuralKernels

/// Runs one layer's kernel on plain arrays, so tests can compare it with naive loops and with
/// finite differences.
struct LayerHarness {
    let layer: any Layer
    let inputShape: [Int]
    let batch: Int
    let kernel: any LayerKernel
    let outputShape: [Int]
    let specs: [ParameterSpec]
    /// The kernel's data layouts; arrays passed in and returned are always NHWC and converted here.
    let layouts: (input: ActivationLayout, output: ActivationLayout)

    init(_ layer: any Layer, input: [Int], batch: Int,
         layouts: (input: ActivationLayout, output: ActivationLayout) = (.nhwc, .nhwc)) throws {
        let kernel: any LayerKernel
        if layouts == (.nhwc, .nhwc) {
            kernel = try layer.makeKernel(input: input, batch: batch, training: true, resources: try KernelResources())
        } else {
            let l = try XCTUnwrap(layer as? any BlockedLayoutLayer, "\(layer.name) has no blocked layouts")
            kernel = try l.makeKernel(input: input, batch: batch, training: true, resources: try KernelResources(), layouts: layouts)
        }
        try self.init(layer, input: input, batch: batch, kernel: kernel, layouts: layouts)
    }

    /// A kernel the test built itself (forced choices), seen through the same arrays.
    init(_ layer: any Layer, input: [Int], batch: Int, kernel: any LayerKernel,
         layouts: (input: ActivationLayout, output: ActivationLayout) = (.nhwc, .nhwc)) throws {
        self.layer = layer
        inputShape = input
        self.batch = batch
        self.layouts = layouts
        self.kernel = kernel
        outputShape = try layer.outputShape(for: input)
        specs = layer.parameterSpecs(for: input)
    }

    var inputCount: Int { batch * inputShape.reduce(1, *) }
    var outputCount: Int { batch * outputShape.reduce(1, *) }

    func forward(_ x: [Float], _ params: [[Float]]) throws -> [Float] {
        let p = params.map { FloatBuffer($0) }
        let xb = FloatBuffer(toLayout(x, inputShape, layouts.input)), y = FloatBuffer(count: outputCount)
        kernel.parametersChanged()
        // Optimised builds may free a buffer right after its last Swift use, which is before the
        // kernel reads it through the raw pointer: keep them alive across the call.
        try withExtendedLifetime((p, xb)) {
            try kernel.forward(input: xb.pointer, output: y.pointer, parameters: p.map(\.pointer))
        }
        return fromLayout(y.array(count: outputCount), outputShape, layouts.output)
    }

    /// NHWC -> the given layout for this batch (flat shapes are the same in both).
    func toLayout(_ a: [Float], _ shape: [Int], _ layout: ActivationLayout) -> [Float] {
        guard layout == .blocked16, shape.count == 3 else { return a }
        var out = a
        let (h, w, c) = (shape[0], shape[1], shape[2])
        for n in 0..<batch { for y in 0..<h { for x in 0..<w { for ch in 0..<c {
            out[layout.offset(n: n, group: ch / 16, y: y, x: x, height: h, width: w, channels: c) + ch % 16] = a[((n * h + y) * w + x) * c + ch]
        } } } }
        return out
    }

    func fromLayout(_ a: [Float], _ shape: [Int], _ layout: ActivationLayout) -> [Float] {
        guard layout == .blocked16, shape.count == 3 else { return a }
        var out = a
        let (h, w, c) = (shape[0], shape[1], shape[2])
        for n in 0..<batch { for y in 0..<h { for x in 0..<w { for ch in 0..<c {
            out[((n * h + y) * w + x) * c + ch] = a[layout.offset(n: n, group: ch / 16, y: y, x: x, height: h, width: w, channels: c) + ch % 16]
        } } } }
        return out
    }

    /// Gradients of sum(y * r) with respect to the input and each parameter.
    func backward(_ x: [Float], _ params: [[Float]], r: [Float]) throws -> (dx: [Float], dp: [[Float]]) {
        let p = params.map { FloatBuffer($0) }
        let xb = FloatBuffer(toLayout(x, inputShape, layouts.input)), y = FloatBuffer(count: outputCount)
        kernel.parametersChanged()
        let g = FloatBuffer(toLayout(r, outputShape, layouts.output)), dx = FloatBuffer(count: inputCount)
        let dp = params.map { FloatBuffer(count: $0.count) }
        try withExtendedLifetime((p, xb, y, g)) {
            try kernel.forward(input: xb.pointer, output: y.pointer, parameters: p.map(\.pointer))
            try kernel.backward(input: xb.pointer, output: y.pointer, outputGrad: g.pointer, gradIsPreActivation: false,
                                inputGrad: dx.pointer, parameters: p.map(\.pointer), parameterGrads: dp.map(\.pointer))
        }
        return (fromLayout(dx.array(count: inputCount), inputShape, layouts.input), dp.enumerated().map { $0.element.array(count: params[$0.offset].count) })
    }

    func objective(_ x: [Float], _ params: [[Float]], r: [Float]) throws -> Double {
        zip(try forward(x, params), r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Central differences of the objective for a sample of coordinates (all if `limit` is nil).
    func checkGradients(_ x: [Float], _ params: [[Float]], r: [Float], eps: Float = 1e-2, tolerance: Double = 1e-2,
                        samples: Int = 40, file: StaticString = #filePath, line: UInt = #line) throws {
        let (dx, dp) = try backward(x, params, r: r)
        var g = SeededGenerator(seed: 99)
        func check(_ name: String, _ analytic: [Float], perturb: (Int, Float) throws -> Double) throws {
            let scale = max(1, analytic.map { Double(abs($0)) }.max() ?? 0)
            let picks = analytic.count <= samples ? Array(analytic.indices) : (0..<samples).map { _ in g.nextIndex(below: analytic.count) }
            for i in picks {
                let numeric = (try perturb(i, eps) - perturb(i, -eps)) / Double(2 * eps)
                XCTAssertEqual(numeric, Double(analytic[i]), accuracy: tolerance * scale,
                               "\(layer.name) d/d\(name)[\(i)]", file: file, line: line)
            }
        }
        try check("input", dx) { i, e in var x2 = x; x2[i] += e; return try objective(x2, params, r: r) }
        for k in params.indices {
            try check(specs[k].name, dp[k]) { i, e in var p2 = params; p2[k][i] += e; return try objective(x, p2, r: r) }
        }
    }
}

func randomFloats(_ n: Int, seed: UInt64, range: ClosedRange<Float> = -1...1) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { _ in range.lowerBound + g.nextUnitFloat() * (range.upperBound - range.lowerBound) }
}

func assertClose(_ a: [Float], _ b: [Float], absolute: Float, relative: Float = 0, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "count \(message)", file: file, line: line)
    var worst: Float = 0, at = -1
    for i in 0..<min(a.count, b.count) {
        let excess = abs(a[i] - b[i]) - (absolute + relative * abs(b[i]))
        if excess > worst || (at < 0 && excess > 0) { worst = excess; at = i }
    }
    if at >= 0 {
        XCTFail("\(message): element \(at) is \(a[at]) vs \(b[at]) (tolerance \(absolute) + \(relative)*|b|)", file: file, line: line)
    }
}

func maxAbs(_ a: [Float]) -> Float { a.map(abs).max() ?? 0 }

/// Runs `body` with CNeuralKernels' AVX-512 loops (where this CPU has them) and again with the
/// portable ones, so both are checked whatever machine runs the tests. `body` gets the path's name.
func forEachKernelPath(_ body: (String) throws -> Void) rethrows {
    defer { nk_set_avx512_allowed(1) }
    for allowed: Int32 in [1, 0] {
        nk_set_avx512_allowed(allowed)
        try body(nk_avx512_enabled() != 0 ? "avx512" : "portable")
    }
}
