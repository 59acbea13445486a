/// Kernels and buffers of a network for one batch size, allocated once and reused every step.
/// Inference plans keep only two ping-pong activation buffers; training plans keep every
/// activation from the first trainable layer on, plus two gradient buffers.
final class ExecutionPlan {
    let batch: Int
    let training: Bool
    let kernels: [any LayerKernel]
    let inputCount: Int
    let outputCounts: [Int]
    /// Output buffer of each layer (shared ping-pong buffers before the first trainable layer).
    let outputs: [FloatBuffer]
    let input: FloatBuffer
    let gradA: FloatBuffer?, gradB: FloatBuffer?
    /// Layers below this index get no backward pass at all.
    let firstTrainable: Int
    /// Layout of each layer's input (the last entry: of the network's output), see `layouts(for:)`.
    let layouts: [ActivationLayout]

    /// `blockedLayouts: false` keeps every activation NHWC (for tests comparing the two).
    init(model: Sequential, batch: Int, training: Bool, resources: KernelResources, blockedLayouts: Bool = true) throws {
        guard batch > 0 else { throw NeuralKitError.invalidConfiguration("batch size \(batch)") }
        self.batch = batch
        self.training = training
        let n = model.layers.count
        var first = n
        if training {
            first = (0..<n).first(where: { model.isTrainable(layerAt: $0) }) ?? n
            if first == n { throw NeuralKitError.invalidConfiguration("every layer is frozen; nothing to train") }
        }
        firstTrainable = first
        let layouts = blockedLayouts ? Self.layouts(for: model) : Array(repeating: .nhwc, count: n + 1)
        self.layouts = layouts
        var kernels: [any LayerKernel] = []
        var shape = model.inputShape
        for (i, l) in model.layers.enumerated() {
            let train = training && i >= first
            if let l = l as? any BlockedLayoutLayer {
                kernels.append(try l.makeKernel(input: shape, batch: batch, training: train, resources: resources,
                                                layouts: (layouts[i], layouts[i + 1])))
            } else {
                kernels.append(try l.makeKernel(input: shape, batch: batch, training: train, resources: resources))
            }
            shape = model.layerOutputShapes[i]
        }
        self.kernels = kernels
        inputCount = batch * model.inputShape.reduce(1, *)
        outputCounts = model.layerOutputShapes.map { batch * $0.reduce(1, *) }
        input = FloatBuffer(count: inputCount)
        // Layers whose output is only needed by the next layer's forward share two buffers.
        let sharedLimit = training ? first - 1 : n
        let largest = outputCounts.enumerated().filter { $0.offset < sharedLimit }.map(\.element).max() ?? 0
        let ping = FloatBuffer(count: largest), pong = FloatBuffer(count: largest)
        var outs: [FloatBuffer] = []
        for i in 0..<n {
            outs.append(i < sharedLimit ? (i % 2 == 0 ? ping : pong) : FloatBuffer(count: outputCounts[i]))
        }
        if !training { outs[n - 1] = FloatBuffer(count: outputCounts[n - 1]) }
        outputs = outs
        if training {
            let g = ([inputCount] + outputCounts).max()!
            gradA = FloatBuffer(count: g); gradB = FloatBuffer(count: g)
        } else {
            gradA = nil; gradB = nil
        }
    }

    var output: FloatBuffer { outputs[outputs.count - 1] }

    /// nChw16c between two layers that both handle it (conv -> pool -> Winograd conv -> pool ->
    /// flatten in the scratch CNN), NHWC elsewhere. The network's input and output stay NHWC, since
    /// callers fill and read them.
    static func layouts(for model: Sequential) -> [ActivationLayout] {
        let n = model.layers.count
        var layouts = [ActivationLayout](repeating: .nhwc, count: n + 1)
        let inputs = [model.inputShape] + model.layerOutputShapes
        for i in 1..<max(1, n) {
            guard let producer = model.layers[i - 1] as? any BlockedLayoutLayer,
                  let consumer = model.layers[i] as? any BlockedLayoutLayer,
                  producer.canWrite(.blocked16, input: inputs[i - 1]),
                  consumer.canRead(.blocked16, input: inputs[i]) else { continue }
            layouts[i] = .blocked16
        }
        return layouts
    }

    func forward(parameters: [[UnsafeMutablePointer<Float>]]) throws {
        var x = UnsafePointer(input.pointer)
        for i in kernels.indices {
            try kernels[i].forward(input: x, output: outputs[i].pointer, parameters: parameters[i])
            x = UnsafePointer(outputs[i].pointer)
        }
    }

    /// Backward from dL/dz of the last layer (already in `gradA`), filling `grads` of trainable layers.
    func backward(parameters: [[UnsafeMutablePointer<Float>]], grads: [[UnsafeMutablePointer<Float>]?]) throws {
        guard var g = gradA?.pointer, var other = gradB?.pointer else {
            throw NeuralKitError.backend("backward on an inference plan")
        }
        var preActivation = true
        for i in stride(from: kernels.count - 1, through: firstTrainable, by: -1) {
            let x = i == 0 ? UnsafePointer(input.pointer) : UnsafePointer(outputs[i - 1].pointer)
            let dx: UnsafeMutablePointer<Float>? = i > firstTrainable ? other : nil
            try kernels[i].backward(input: x, output: outputs[i].pointer, outputGrad: g,
                                    gradIsPreActivation: preActivation, inputGrad: dx,
                                    parameters: parameters[i], parameterGrads: grads[i])
            preActivation = false
            swap(&g, &other)
        }
    }

    func parametersChanged() { for k in kernels { k.parametersChanged() } }
}
