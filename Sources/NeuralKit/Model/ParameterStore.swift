/// A network's parameters copied into aligned buffers, with gradient and momentum buffers for the
/// trainable ones. Pointers stay valid for the store's lifetime, so kernels can hold on to them.
final class ParameterStore {
    let names: [[String]]
    let shapes: [[[Int]]]
    let values: [[FloatBuffer]]
    let grads: [[FloatBuffer]?]
    let velocities: [[FloatBuffer]?]

    init(model: Sequential, training: Bool) {
        names = model.parameterSpecs.map { $0.map(\.name) }
        shapes = model.parameterSpecs.map { $0.map(\.shape) }
        values = model.parameterSpecs.map { specs in specs.map { FloatBuffer(model.parameters[$0.name]!.scalars) } }
        var g: [[FloatBuffer]?] = [], v: [[FloatBuffer]?] = []
        for (i, specs) in model.parameterSpecs.enumerated() {
            if training && model.isTrainable(layerAt: i) {
                g.append(specs.map { FloatBuffer(count: $0.shape.reduce(1, *)) })
                v.append(specs.map { FloatBuffer(count: $0.shape.reduce(1, *)) })
            } else {
                g.append(nil); v.append(nil)
            }
        }
        grads = g; velocities = v
    }

    var valuePointers: [[UnsafeMutablePointer<Float>]] { values.map { $0.map(\.pointer) } }
    var gradPointers: [[UnsafeMutablePointer<Float>]?] { grads.map { $0?.map(\.pointer) } }

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
