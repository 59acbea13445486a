public enum Padding: String, Sendable, Codable {
    /// Output has the input's size; TensorFlow puts the odd extra padding row/column at the end.
    case same
    /// No padding: output is input - kernel + 1.
    case valid
}

/// Keras `Conv2D` with stride 1: kernel [kh, kw, cin, cout] (HWIO), bias [cout], NHWC data.
public struct Conv2D: Layer, BlockedLayoutLayer {
    public let name: String
    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let padding: Padding
    public let activation: Activation

    public init(filters: Int, kernelSize: (Int, Int) = (3, 3), padding: Padding = .same,
                activation: Activation = .linear, name: String) {
        self.filters = filters
        self.kernelSize = (kernelSize.0, kernelSize.1)
        self.padding = padding
        self.activation = activation
        self.name = name
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw NeuralKitError.shapeMismatch("Conv2D '\(name)' needs an HxWxC input, got \(input)")
        }
        guard filters > 0, kernelSize.height > 0, kernelSize.width > 0 else {
            throw NeuralKitError.invalidConfiguration("Conv2D '\(name)' has \(filters) filters of \(kernelSize)")
        }
        guard activation != .softmax else {
            throw NeuralKitError.invalidConfiguration("Conv2D '\(name)': softmax is only supported on flat outputs")
        }
        switch padding {
        case .same: return [input[0], input[1], filters]
        case .valid:
            let h = input[0] - kernelSize.height + 1, w = input[1] - kernelSize.width + 1
            guard h > 0, w > 0 else {
                throw NeuralKitError.shapeMismatch("Conv2D '\(name)': kernel \(kernelSize) larger than input \(input)")
            }
            return [h, w, filters]
        }
    }

    public func parameterSpecs(for input: [Int]) -> [ParameterSpec] {
        let cin = input.count == 3 ? input[2] : 1
        let area = kernelSize.height * kernelSize.width
        return [
            ParameterSpec(name: "\(name)/kernel", shape: [kernelSize.height, kernelSize.width, cin, filters],
                          initializer: .glorotUniform(fanIn: area * cin, fanOut: area * filters)),
            ParameterSpec(name: "\(name)/bias", shape: [filters], initializer: .zeros),
        ]
    }

    public func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel {
        try makeKernel(input: input, batch: batch, training: training, resources: resources, layouts: (.nhwc, .nhwc))
    }

    func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources,
                    layouts: (input: ActivationLayout, output: ActivationLayout)) throws -> any LayerKernel {
        let out = try outputShape(for: input)
        // canRead/canWrite keep small maps NHWC, so the plan never asks this kernel for nChw16c.
        if SmallMapWinogradKernel.applies(to: self, input: input), layouts == (.nhwc, .nhwc) {
            return try SmallMapWinogradKernel(config: self, input: input, batch: batch, training: training, resources: resources)
        }
        return try ConvKernel(config: self, input: input, output: out, batch: batch, training: training,
                              resources: resources, layouts: layouts, bf16: KernelChoices.current.bf16Convolutions)
    }

    /// Blocked input only where Winograd runs (it computes in that layout; a direct convolution
    /// would reorder it back). Blocked output whenever the channels fill 16-blocks: the direct
    /// kernel for a 3-channel input is also faster writing nChw16c than NHWC (docs/neuralkit.md).
    /// Small maps (`SmallMapWinogradKernel`) stay NHWC.
    func canRead(_ layout: ActivationLayout, input: [Int]) -> Bool {
        layout == .nhwc || (input.count == 3 && usesWinograd(inputChannels: input[2])
                            && !SmallMapWinogradKernel.applies(to: self, input: input))
    }

    func canWrite(_ layout: ActivationLayout, input: [Int]) -> Bool {
        layout == .nhwc || (filters % 16 == 0 && !SmallMapWinogradKernel.applies(to: self, input: input))
    }

    /// oneDNN's Winograd where it applies and measured faster on this CPU (`KernelChoices`).
    func usesWinograd(inputChannels: Int) -> Bool {
        kernelSize.height == 3 && kernelSize.width == 3 && inputChannels % 16 == 0 && filters % 16 == 0
            && KernelChoices.current.winograd3x3
    }

    /// (top, left) and (bottom, right) padding, TensorFlow's convention.
    var paddingAmounts: (low: [Int], high: [Int]) {
        guard padding == .same else { return ([0, 0], [0, 0]) }
        let ph = kernelSize.height - 1, pw = kernelSize.width - 1
        return ([ph / 2, pw / 2], [ph - ph / 2, pw - pw / 2])
    }
}
