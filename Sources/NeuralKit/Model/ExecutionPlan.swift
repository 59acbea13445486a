/// Kernels and buffers of a network for one batch size, allocated once and reused every step.
/// Each stage runs one layer, or a convolution and its max-pool together (`ConvPoolKernel`).
/// Inference plans keep only two ping-pong activation buffers; training plans keep every stage's
/// output from the first trainable stage on, plus two gradient buffers.
final class ExecutionPlan {
    /// Layers `layers` run by one kernel, with the first layer's parameters.
    struct Stage {
        let layers: Range<Int>
        let kernel: any LayerKernel
    }

    let batch: Int
    let training: Bool
    let stages: [Stage]
    let inputCount: Int
    /// Output buffer of each stage (shared ping-pong buffers before the first trainable stage).
    let outputs: [FloatBuffer]
    let input: FloatBuffer
    let gradA: FloatBuffer?, gradB: FloatBuffer?
    /// Stages below this index get no backward pass at all.
    let firstTrainable: Int
    /// Layout of each layer's input (the last entry: of the network's output), see `layouts(for:)`.
    let layouts: [ActivationLayout]

    /// `blockedLayouts: false` keeps every activation NHWC, `convPoolChunk` fixes the images per
    /// chunk of fused convolution + pool stages (0: no fusing); both for tests comparing plans.
    init(model: Sequential, batch: Int, training: Bool, resources: KernelResources, blockedLayouts: Bool = true,
         convPoolChunk: Int? = nil) throws {
        guard batch > 0 else { throw NeuralKitError.invalidConfiguration("batch size \(batch)") }
        self.batch = batch
        self.training = training
        let n = model.layers.count
        var firstLayer = n
        if training {
            firstLayer = (0..<n).first(where: { model.isTrainable(layerAt: $0) }) ?? n
            if firstLayer == n { throw NeuralKitError.invalidConfiguration("every layer is frozen; nothing to train") }
        }
        let layouts = blockedLayouts ? Self.layouts(for: model) : Array(repeating: .nhwc, count: n + 1)
        self.layouts = layouts
        let inputs = [model.inputShape] + model.layerOutputShapes
        var stages: [Stage] = []
        var i = 0
        while i < n {
            let train = training && i >= firstLayer
            if i + 1 < n, let conv = model.layers[i] as? Conv2D, let pool = model.layers[i + 1] as? MaxPool2D,
               let chunk = try ConvPoolKernel.chunk(conv: conv, input: inputs[i], batch: batch, forced: convPoolChunk) {
                stages.append(Stage(layers: i..<i + 2, kernel: try ConvPoolKernel(
                    conv: conv, pool: pool, input: inputs[i], batch: batch, chunk: chunk, training: train,
                    resources: resources, layouts: (layouts[i], layouts[i + 1], layouts[i + 2]),
                    bf16: KernelChoices.current.bf16Convolutions)))
                i += 2
                continue
            }
            let l = model.layers[i]
            let kernel = try (l as? any BlockedLayoutLayer)?.makeKernel(
                input: inputs[i], batch: batch, training: train, resources: resources, layouts: (layouts[i], layouts[i + 1]))
                ?? l.makeKernel(input: inputs[i], batch: batch, training: train, resources: resources)
            stages.append(Stage(layers: i..<i + 1, kernel: kernel))
            i += 1
        }
        self.stages = stages
        firstTrainable = stages.firstIndex { $0.layers.contains(firstLayer) } ?? stages.count
        inputCount = batch * model.inputShape.reduce(1, *)
        let outputCounts = stages.map { batch * inputs[$0.layers.upperBound].reduce(1, *) }
        input = FloatBuffer(count: inputCount)
        // Stages whose output is only needed by the next stage's forward share two buffers.
        let sharedLimit = training ? firstTrainable - 1 : stages.count
        let largest = outputCounts.enumerated().filter { $0.offset < sharedLimit }.map(\.element).max() ?? 0
        let ping = FloatBuffer(count: largest), pong = FloatBuffer(count: largest)
        var outs: [FloatBuffer] = []
        for s in stages.indices {
            outs.append(s < sharedLimit ? (s % 2 == 0 ? ping : pong) : FloatBuffer(count: outputCounts[s]))
        }
        if !training { outs[stages.count - 1] = FloatBuffer(count: outputCounts[stages.count - 1]) }
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
        for (s, stage) in stages.enumerated() {
            try stage.kernel.forward(input: x, output: outputs[s].pointer, parameters: parameters[stage.layers.lowerBound])
            x = UnsafePointer(outputs[s].pointer)
        }
    }

    /// Backward from dL/dz of the last layer (already in `gradA`), filling `grads` of trainable layers.
    func backward(parameters: [[UnsafeMutablePointer<Float>]], grads: [[UnsafeMutablePointer<Float>]?]) throws {
        guard var g = gradA?.pointer, var other = gradB?.pointer else {
            throw NeuralKitError.backend("backward on an inference plan")
        }
        var preActivation = true
        for s in stride(from: stages.count - 1, through: firstTrainable, by: -1) {
            let stage = stages[s], first = stage.layers.lowerBound
            let x = s == 0 ? UnsafePointer(input.pointer) : UnsafePointer(outputs[s - 1].pointer)
            let dx: UnsafeMutablePointer<Float>? = s > firstTrainable ? other : nil
            try stage.kernel.backward(input: x, output: outputs[s].pointer, outputGrad: g,
                                      gradIsPreActivation: preActivation, inputGrad: dx,
                                      parameters: parameters[first], parameterGrads: grads[first])
            preActivation = false
            swap(&g, &other)
        }
    }

    func parametersChanged() { for s in stages { s.kernel.parametersChanged() } }
}
