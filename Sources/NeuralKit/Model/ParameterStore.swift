/// A network's parameters copied into aligned buffers, with momentum buffers for the trainable
/// ones (gradients live in each `Shard`). Pointers stay valid for the store's lifetime.
final class ParameterStore {
    let names: [[String]]
    let shapes: [[[Int]]]
    let values: [[FloatBuffer]]
    let velocities: [[FloatBuffer]?]
    let valuePointers: [[UnsafeMutablePointer<Float>]]

    init(model: Sequential, training: Bool) {
        names = model.parameterSpecs.map { $0.map(\.name) }
        shapes = model.parameterSpecs.map { $0.map(\.shape) }
        values = model.parameterSpecs.map { specs in specs.map { FloatBuffer(model.parameters[$0.name]!.scalars) } }
        velocities = model.parameterSpecs.enumerated().map { i, specs in
            training && model.isTrainable(layerAt: i) ? specs.map { FloatBuffer(count: $0.shape.reduce(1, *)) } : nil
        }
        valuePointers = values.map { $0.map(\.pointer) }
    }

    func tensors() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for i in names.indices {
            for j in names[i].indices {
                let n = shapes[i][j].reduce(1, *)
                out[names[i][j]] = try! Tensor(shape: shapes[i][j], scalars: values[i][j].array(count: n))
            }
        }
        return out
    }
}
