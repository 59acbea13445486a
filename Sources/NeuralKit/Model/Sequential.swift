/// A Keras-style sequential network: layer configurations, their parameters by name, and which
/// layers are frozen. A value type; training happens in a `Trainer`, which hands back an updated
/// copy through `Trainer.model`.
public struct Sequential: Sendable {
    public let inputShape: [Int]
    public let layers: [any Layer]
    /// Per-sample shape after each layer.
    public let layerOutputShapes: [[Int]]
    public let parameterSpecs: [[ParameterSpec]]
    public private(set) var parameters: [String: Tensor]
    /// Names of layers whose parameters receive no gradient and no update.
    public private(set) var frozenLayers: Set<String> = []

    /// Builds the network and initialises parameters as Keras does (glorot_uniform kernels, zero
    /// biases), drawing from one seeded generator in layer order.
    public init(inputShape: [Int], layers: [any Layer], seed: UInt64 = 0) throws {
        guard !layers.isEmpty else { throw NeuralKitError.invalidConfiguration("a network needs at least one layer") }
        guard inputShape.allSatisfy({ $0 > 0 }), !inputShape.isEmpty else {
            throw NeuralKitError.shapeMismatch("input shape \(inputShape) must have positive dimensions")
        }
        var seen = Set<String>()
        for l in layers where !seen.insert(l.name).inserted {
            throw NeuralKitError.invalidConfiguration("two layers are named '\(l.name)'")
        }
        var shape = inputShape
        var shapes: [[Int]] = [], specs: [[ParameterSpec]] = []
        var params: [String: Tensor] = [:]
        var generator = SeededGenerator(seed: seed)
        for l in layers {
            let s = l.parameterSpecs(for: shape)
            for spec in s {
                let values = spec.initializer.fill(count: Tensor.elementCount(spec.shape), using: &generator)
                params[spec.name] = try Tensor(shape: spec.shape, scalars: values)
            }
            specs.append(s)
            shape = try l.outputShape(for: shape)
            shapes.append(shape)
        }
        self.inputShape = inputShape
        self.layers = layers
        self.layerOutputShapes = shapes
        self.parameterSpecs = specs
        self.parameters = params
    }

    public var outputShape: [Int] { layerOutputShapes.last! }

    /// Parameter names in layer order (Keras' `model.weights` order).
    public var parameterNames: [String] { parameterSpecs.flatMap { $0.map(\.name) } }

    public func index(ofLayer name: String) throws -> Int {
        guard let i = layers.firstIndex(where: { $0.name == name }) else {
            throw NeuralKitError.invalidConfiguration("no layer named '\(name)'")
        }
        return i
    }

    public func parameter(_ name: String) throws -> Tensor {
        guard let t = parameters[name] else { throw NeuralKitError.unknownParameter("'\(name)'") }
        return t
    }

    /// Replaces a parameter; the shape must match the layer's.
    public mutating func setParameter(_ name: String, _ value: Tensor) throws {
        guard let old = parameters[name] else { throw NeuralKitError.unknownParameter("'\(name)'") }
        guard old.shape == value.shape else {
            throw NeuralKitError.shapeMismatch("'\(name)' is \(old.shape), got \(value.shape)")
        }
        parameters[name] = value
    }

    /// Copies every parameter that `other` has and this network also has (same name and shape),
    /// e.g. to put a trained suffix back into the full network. Returns the names copied.
    @discardableResult
    public mutating func updateParameters(from other: Sequential) throws -> [String] {
        var copied: [String] = []
        for name in other.parameterNames where parameters[name] != nil {
            try setParameter(name, other.parameters[name]!)
            copied.append(name)
        }
        return copied
    }

    public mutating func setTrainable(_ trainable: Bool, layers names: [String]) throws {
        for n in names {
            _ = try index(ofLayer: n)
            if trainable { frozenLayers.remove(n) } else { frozenLayers.insert(n) }
        }
    }

    public func isTrainable(layerAt i: Int) -> Bool {
        !frozenLayers.contains(layers[i].name) && !parameterSpecs[i].isEmpty
    }

    /// Layers 0..<count as their own network (parameters and freezing carried over).
    public func prefix(_ count: Int) throws -> Sequential {
        guard count > 0, count <= layers.count else {
            throw NeuralKitError.invalidConfiguration("prefix of \(count) layers out of \(layers.count)")
        }
        return try subnetwork(0..<count, inputShape: inputShape)
    }

    /// Layers from `start` to the end as their own network, whose input is layer start-1's output.
    public func suffix(from start: Int) throws -> Sequential {
        guard start >= 0, start < layers.count else {
            throw NeuralKitError.invalidConfiguration("suffix from layer \(start) out of \(layers.count)")
        }
        return try subnetwork(start..<layers.count, inputShape: start == 0 ? inputShape : layerOutputShapes[start - 1])
    }

    private func subnetwork(_ range: Range<Int>, inputShape: [Int]) throws -> Sequential {
        var sub = try Sequential(inputShape: inputShape, layers: Array(layers[range]))
        try sub.updateParameters(from: self)
        sub.frozenLayers = frozenLayers.intersection(sub.layers.map(\.name))
        return sub
    }

    /// Runs the network in inference mode (no gradient buffers) on a batch [n, inputShape...].
    public func predict(_ x: Tensor, batchSize: Int = 32) throws -> Tensor {
        try Predictor(model: self, batchSize: batchSize).predict(x)
    }
}
