/// One core's share of every batch: its own execution plans (kernels, activations, oneDNN streams)
/// and, when training, its own gradient buffers. See `Parallel` for why batches are sharded.
final class Shard {
    private let model: Sequential
    private let training: Bool
    private var plans: [Int: ExecutionPlan] = [:]
    private var resources: KernelResources?
    let grads: [[FloatBuffer]?]
    let gradPointers: [[UnsafeMutablePointer<Float>]?]
    // Results of the last step, read by the caller after the join.
    var lossSum = 0.0
    var correct = 0
    var failure: Error?

    init(model: Sequential, training: Bool) {
        self.model = model
        self.training = training
        var g: [[FloatBuffer]?] = []
        for (i, specs) in model.parameterSpecs.enumerated() {
            g.append(training && model.isTrainable(layerAt: i) ? specs.map { FloatBuffer(count: $0.shape.reduce(1, *)) } : nil)
        }
        grads = g
        gradPointers = g.map { $0?.map(\.pointer) }
    }

    func plan(batch: Int) throws -> ExecutionPlan {
        if let p = plans[batch] { return p }
        let r = try resources ?? KernelResources()
        resources = r
        let p = try ExecutionPlan(model: model, batch: batch, training: training, resources: r)
        plans[batch] = p
        return p
    }

    func parametersChanged() { for p in plans.values { p.parametersChanged() } }
}
