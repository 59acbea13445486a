/// A layer's configuration: a small value type, apart from its parameters (which live in
/// `Sequential.parameters`, by name). Shapes are per sample, without the batch dimension.
public protocol Layer: Sendable {
    var name: String { get }
    /// The activation applied to the layer's output (`.linear` for none).
    var activation: Activation { get }
    func outputShape(for input: [Int]) throws -> [Int]
    /// Parameters in Keras' order and layout, e.g. "conv1/kernel" [kh, kw, cin, cout], "conv1/bias".
    func parameterSpecs(for input: [Int]) -> [ParameterSpec]
    /// The executable form of the layer for one input shape and batch size. `resources` are shared
    /// by the kernels of one shard (see `KernelResources`).
    func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources) throws -> any LayerKernel
}

public struct ParameterSpec: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let initializer: Initializer
}

/// How a layer runs. Buffers are owned by the plan; parameters are passed as pointers in the
/// order of `parameterSpecs`. Kernels may hold workspace but never allocate per call.
public protocol LayerKernel: AnyObject {
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                 parameters: [UnsafeMutablePointer<Float>]) throws
    /// `outputGrad` holds dL/dy on entry (dL/dz, the pre-activation gradient, if
    /// `gradIsPreActivation`) and may be overwritten. `inputGrad` is nil when no earlier layer
    /// needs it; `parameterGrads` is nil for frozen layers.
    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                  outputGrad: UnsafeMutablePointer<Float>, gradIsPreActivation: Bool,
                  inputGrad: UnsafeMutablePointer<Float>?,
                  parameters: [UnsafeMutablePointer<Float>],
                  parameterGrads: [UnsafeMutablePointer<Float>]?) throws
    /// Tells a kernel that caches a converted copy of its weights that they changed.
    func parametersChanged()
}

extension LayerKernel {
    public func parametersChanged() {}
}

/// Layers that can read or write `ActivationLayout.blocked16` as well as NHWC. The plan uses
/// blocked16 at a boundary only when the layer before can write it and the layer after can read it.
protocol BlockedLayoutLayer: Layer {
    func canRead(_ layout: ActivationLayout, input: [Int]) -> Bool
    func canWrite(_ layout: ActivationLayout, input: [Int]) -> Bool
    func makeKernel(input: [Int], batch: Int, training: Bool, resources: KernelResources,
                    layouts: (input: ActivationLayout, output: ActivationLayout)) throws -> any LayerKernel
}
