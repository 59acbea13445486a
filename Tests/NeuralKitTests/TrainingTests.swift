import XCTest
@testable import NeuralKit
import TrainingMetrics

/// Keras training semantics: initialisation, the SGD rule, shuffling, epoch metrics, freezing,
/// and training a suffix on cached prefix features.
final class TrainingTests: XCTestCase {
    func smallData(count: Int, shape: [Int] = [6, 6, 2], classes: Int = 3, seed: UInt64 = 1) throws -> TensorSamples {
        try TensorSamples(samples: Tensor(shape: [count] + shape, scalars: randomFloats(count * shape.reduce(1, *), seed: seed, range: 0...4)),
                          labels: (0..<count).map { $0 % classes })
    }

    func smallModel(seed: UInt64 = 3) throws -> Sequential {
        try Sequential(inputShape: [6, 6, 2], layers: [
            Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu, name: "c1"),
            MaxPool2D(name: "p1"),
            Conv2D(filters: 5, kernelSize: (2, 2), padding: .valid, name: "c2"),
            Flatten(name: "f"),
            Dense(8, activation: .sigmoid, name: "d1"),
            Dense(3, activation: .softmax, name: "d2"),
        ], seed: seed)
    }

    func testGlorotUniformLimitsAndZeroBiases() throws {
        let m = try Architectures.scratchCNN(classes: 24, seed: 9)
        for spec in m.parameterSpecs.flatMap({ $0 }) {
            let v = try m.parameter(spec.name).scalars
            if spec.name.hasSuffix("/bias") {
                XCTAssertTrue(v.allSatisfy { $0 == 0 }, spec.name)
                continue
            }
            let fanIn = spec.shape.dropLast().reduce(1, *)
            let fanOut = spec.shape.count == 4 ? spec.shape[0] * spec.shape[1] * spec.shape[3] : spec.shape[1]
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            XCTAssertEqual(spec.initializer.limit, limit, accuracy: 1e-7)
            XCTAssertTrue(v.allSatisfy { abs($0) <= limit }, spec.name)
            // Uniform on [-l, l]: mean 0, standard deviation l / sqrt(3).
            let mean = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
            let sd = (v.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(v.count)).squareRoot()
            XCTAssertEqual(mean, 0, accuracy: 4 * Double(limit) / Double(v.count).squareRoot(), spec.name)
            XCTAssertEqual(sd, Double(limit) / 3.0.squareRoot(), accuracy: 0.05 * Double(limit), spec.name)
        }
        XCTAssertEqual(try Architectures.scratchCNN(classes: 24, seed: 9).parameters, m.parameters)
        XCTAssertNotEqual(try Architectures.scratchCNN(classes: 24, seed: 10).parameters, m.parameters)
    }

    func testSGDFollowsKerasUpdateRule() throws {
        let data = try smallData(count: 4)
        let model = try smallModel()
        let lr: Float = 0.05, mom: Float = 0.9
        let trainer = try Trainer(model: model, optimizer: SGD(learningRate: lr, momentum: mom), batchSize: 4)
        // Gradients from a reference: a zero-learning-rate trainer leaves weights unchanged, so the
        // gradient of each step can be read back from the velocity of a lr=1, momentum=0 copy.
        func gradients(_ m: Sequential) throws -> [String: [Float]] {
            let probe = try Trainer(model: m, optimizer: SGD(learningRate: 1, momentum: 0), batchSize: 4)
            try probe.trainStep(data, indices: [0, 1, 2, 3])
            var g: [String: [Float]] = [:]
            for n in m.parameterNames { g[n] = zip(try m.parameter(n).scalars, try probe.model.parameter(n).scalars).map { $0 - $1 } }
            return g
        }
        var expected = model
        var velocity: [String: [Float]] = [:]
        for _ in 0..<3 {
            let g = try gradients(expected)
            for n in model.parameterNames {
                let v0 = velocity[n] ?? [Float](repeating: 0, count: g[n]!.count)
                let v = zip(g[n]!, v0).map { -$0 * lr + $1 * mom }
                velocity[n] = v
                try expected.setParameter(n, Tensor(shape: try expected.parameter(n).shape,
                                                    scalars: zip(try expected.parameter(n).scalars, v).map { $0 + $1 }))
            }
            try trainer.trainStep(data, indices: [0, 1, 2, 3])
        }
        for n in model.parameterNames {
            assertClose(try trainer.model.parameter(n).scalars, try expected.parameter(n).scalars, absolute: 1e-6, relative: 1e-5, n)
            XCTAssertNotEqual(try trainer.model.parameter(n), try model.parameter(n), "\(n) should have moved")
        }
    }

    func testShuffleIsSeededPermutation() {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5), c = SeededGenerator(seed: 6)
        let p = a.permutation(1000)
        XCTAssertEqual(p.sorted(), Array(0..<1000))
        XCTAssertEqual(p, b.permutation(1000))
        XCTAssertNotEqual(p, c.permutation(1000))
        XCTAssertNotEqual(p, a.permutation(1000), "each epoch draws a new order")
        XCTAssertNotEqual(p, Array(0..<1000))
    }

    func testEpochMetricsAreSampleWeightedMeansOverShuffledBatches() throws {
        let data = try smallData(count: 10)
        let model = try smallModel()
        let a = try Trainer(model: model, optimizer: SGD(learningRate: 0.1), batchSize: 4, seed: 11)
        let metrics = try a.fitEpoch(data)
        // Replay: the same permutation in batches of 4, 4, 2, weighted by batch size.
        let b = try Trainer(model: model, optimizer: SGD(learningRate: 0.1), batchSize: 4, seed: 0)
        var g = SeededGenerator(seed: 11)
        let order = g.permutation(10)
        var loss = 0.0, correct = 0
        for start in stride(from: 0, to: 10, by: 4) {
            let idx = Array(order[start..<min(start + 4, 10)])
            let r = try b.trainStep(data, indices: idx)
            loss += r.loss * Double(idx.count)
            correct += r.correct
        }
        XCTAssertEqual(metrics.loss, loss / 10, accuracy: 1e-9)
        XCTAssertEqual(metrics.accuracy, Double(correct) / 10)
        XCTAssertEqual(metrics.samples, 10)
        for n in model.parameterNames { XCTAssertEqual(try a.model.parameter(n), try b.model.parameter(n)) }
        // Training reduces the loss on this tiny set.
        var last = metrics.loss
        for _ in 0..<30 { last = try a.fitEpoch(data).loss }
        XCTAssertLessThan(last, metrics.loss)
        XCTAssertEqual(try a.evaluate(data).samples, 10)
    }

    /// The one epoch loop with an order and a batch source, as the plugins drive it: the same
    /// steps as `fitEpoch(data)` on that order, fetched batches (indices from 0) included; the
    /// callback sees every batch with the running means; false stops after that batch.
    func testEpochLoopOverAnOrderReportsEachBatchAndStopsWhenAsked() throws {
        let data = try smallData(count: 10)
        let model = try smallModel()
        let order = [3, 1, 4, 0, 5, 9, 2, 6, 8, 7]
        let viaSource = try Trainer(model: model, optimizer: SGD(learningRate: 0.1), batchSize: 4)
        var reports: [(done: Int, total: Int, running: PassMetrics)] = []
        let size = data.sampleShape.reduce(1, *)
        let metrics = try viaSource.fitEpoch(order: order, batch: { indices in
            // A "fetched" batch: a copy of just these samples.
            var values: [Float] = []
            for i in indices { values += data.samples.scalars[(i * size)..<((i + 1) * size)] }
            let fetched = try TensorSamples(samples: Tensor(shape: [indices.count] + data.sampleShape, scalars: values),
                                            labels: indices.map { data.labels[$0] })
            return (fetched, Array(0..<indices.count))
        }, afterBatch: { done, total, running in
            reports.append((done, total, running))
            return true
        })
        let direct = try Trainer(model: model, optimizer: SGD(learningRate: 0.1), batchSize: 4)
        var loss = 0.0, correct = 0
        for start in stride(from: 0, to: 10, by: 4) {
            let idx = Array(order[start..<min(start + 4, 10)])
            let r = try direct.trainStep(data, indices: idx)
            loss += r.loss * Double(idx.count)
            correct += r.correct
        }
        XCTAssertEqual(metrics.loss, loss / 10, accuracy: 1e-9)
        XCTAssertEqual(metrics.accuracy, Double(correct) / 10)
        XCTAssertEqual(metrics.samples, 10)
        for n in model.parameterNames { XCTAssertEqual(try viaSource.model.parameter(n), try direct.model.parameter(n)) }
        XCTAssertEqual(reports.map(\.done), [1, 2, 3])
        XCTAssertEqual(reports.map(\.total), [3, 3, 3])
        XCTAssertEqual(reports.map(\.running.samples), [4, 8, 10])
        XCTAssertEqual(reports.last?.running, metrics)

        let stopped = try Trainer(model: model, optimizer: SGD(learningRate: 0.1), batchSize: 4)
        var calls = 0
        XCTAssertThrowsError(try stopped.fitEpoch(data, afterBatch: { done, _, _ in
            calls += 1
            return done < 2
        })) { XCTAssertEqual($0 as? NeuralKitError, .cancelled) }
        XCTAssertEqual(calls, 2, "no batch after the one that was told to stop")
        XCTAssertThrowsError(try stopped.fitEpoch(order: [], batch: { (data, Array($0)) }))
    }

    /// A non-finite loss stops the epoch at that batch, naming it and the learning rate.
    func testEpochLoopStopsOnANonFiniteLoss() throws {
        var values = randomFloats(6 * 4, seed: 4)
        values[5 * 4] = .nan  // sample 5, in the third batch; no ReLU on the way could drop it
        let data = try TensorSamples(samples: Tensor(shape: [6, 4], scalars: values), labels: [0, 1, 2, 0, 1, 2])
        let model = try Sequential(inputShape: [4], layers: [Dense(3, activation: .softmax, name: "d")], seed: 1)
        let trainer = try Trainer(model: model, optimizer: SGD(learningRate: 0.1), batchSize: 2)
        var batches = 0
        XCTAssertThrowsError(try trainer.fitEpoch(data, shuffle: false, afterBatch: { _, _, _ in
            batches += 1
            return true
        })) { error in
            guard case .diverged(let message)? = error as? NeuralKitError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("at batch 3") && message.contains("learning rate 0.1"), message)
        }
        XCTAssertEqual(batches, 2)
    }

    /// Evaluation over batches fetched one range at a time gives `evaluate(data)`'s numbers.
    func testBatchedEvaluationEqualsEvaluatingEverything() throws {
        let data = try smallData(count: 10)
        let predictor = try Predictor(model: try smallModel(), batchSize: 4)
        var ranges: [Range<Int>] = [], totals: [Int] = []
        let size = data.sampleShape.reduce(1, *)
        let batched = try predictor.evaluate(count: data.count, batch: { range in
            ranges.append(range)
            return try TensorSamples(samples: Tensor(shape: [range.count] + data.sampleShape,
                                                     scalars: Array(data.samples.scalars[(range.lowerBound * size)..<(range.upperBound * size)])),
                                     labels: Array(data.labels[range]))
        }, afterBatch: { _, total, _ in
            totals.append(total)
            return true
        })
        let whole = try predictor.evaluate(data)
        XCTAssertEqual(ranges, [0..<4, 4..<8, 8..<10])
        XCTAssertEqual(totals, [3, 3, 3])
        XCTAssertEqual(batched.samples, 10)
        XCTAssertEqual(batched.loss, whole.loss, accuracy: 1e-9)
        XCTAssertEqual(batched.accuracy, whole.accuracy, accuracy: 1e-12)
        XCTAssertThrowsError(try predictor.evaluate(count: 10, batch: { _ in data }, afterBatch: { _, _, _ in false })) {
            XCTAssertEqual($0 as? NeuralKitError, .cancelled)
        }
    }

    func testFrozenLayersDoNotChange() throws {
        var model = try smallModel()
        try model.setTrainable(false, layers: ["c1", "d1"])
        let trainer = try Trainer(model: model, optimizer: SGD(learningRate: 0.5, momentum: 0.5), batchSize: 5)
        let data = try smallData(count: 10)
        _ = try trainer.fitEpoch(data)
        _ = try trainer.fitEpoch(data)
        let after = trainer.model
        for n in model.parameterNames {
            if n.hasPrefix("c1/") || n.hasPrefix("d1/") {
                XCTAssertEqual(try after.parameter(n), try model.parameter(n), "\(n) is frozen")
            } else {
                XCTAssertNotEqual(try after.parameter(n), try model.parameter(n), "\(n) trains")
            }
        }
        var allFrozen = model
        try allFrozen.setTrainable(false, layers: ["c2", "d2"])
        XCTAssertThrowsError(try Trainer(model: allFrozen, optimizer: SGD(), batchSize: 2))
    }

    /// The feature cache: running a frozen prefix once and training only the suffix must give the
    /// same result as training the whole network with the prefix frozen.
    func testTrainingSuffixOnCachedFeaturesEqualsTrainingWithFrozenPrefix() throws {
        var model = try smallModel()
        try model.setTrainable(false, layers: ["c1", "p1"])
        let data = try smallData(count: 8)
        let whole = try Trainer(model: model, optimizer: SGD(learningRate: 0.1, momentum: 0.9), batchSize: 4, seed: 2)
        for _ in 0..<3 { _ = try whole.fitEpoch(data) }

        let prefix = try model.prefix(2), suffix = try model.suffix(from: 2)
        XCTAssertEqual(suffix.inputShape, [3, 3, 4])
        let features = try Predictor(model: prefix, batchSize: 3).predict(data.samples)
        let cached = try TensorSamples(samples: features, labels: data.labels)
        let top = try Trainer(model: suffix, optimizer: SGD(learningRate: 0.1, momentum: 0.9), batchSize: 4, seed: 2)
        for _ in 0..<3 { _ = try top.fitEpoch(cached) }
        var merged = model
        XCTAssertEqual(try merged.updateParameters(from: top.model).count, 6)
        for n in model.parameterNames {
            assertClose(try merged.parameter(n).scalars, try whole.model.parameter(n).scalars, absolute: 1e-6, relative: 1e-5, n)
        }
    }

    /// Whole plans with nChw16c between convolutions and pools, and with convolution + pool
    /// stages run in chunks of images (`ConvPoolKernel`), compute what the all-NHWC, unfused plan
    /// computes: probabilities and every parameter gradient. Batch 3 in chunks of 2 also runs a
    /// shorter last chunk; odd map sizes drop pool rows; ReLU and sigmoid convolutions take their
    /// derivative from the pooled output; a frozen first convolution gets no backward pass.
    func testBlockedAndChunkedPlansMatchThePlainPlan() throws {
        var frozen = try Architectures.scratchCNN(inputShape: [16, 16, 3], classes: 5, seed: 4)
        try frozen.setTrainable(false, layers: ["conv2d"])
        let models: [(String, Sequential)] = [
            ("scratch 16x16", try Architectures.scratchCNN(inputShape: [16, 16, 3], classes: 5, seed: 4)),
            ("scratch 14x14", try Architectures.scratchCNN(inputShape: [14, 14, 3], classes: 5, seed: 5)),
            ("scratch, conv2d frozen", frozen),
            ("relu/sigmoid", try Sequential(inputShape: [10, 10, 16], layers: [
                Conv2D(filters: 16, activation: .relu, name: "c1"), MaxPool2D(name: "p1"),
                Conv2D(filters: 32, padding: .valid, activation: .sigmoid, name: "c2"), MaxPool2D(name: "p2"),
                Flatten(name: "f"), Dense(4, activation: .softmax, name: "d"),
            ], seed: 6)),
        ]
        let batch = 3
        for (name, model) in models {
            let store = ParameterStore(model: model, training: true)
            let classes = model.outputShape[0]
            let x = randomFloats(batch * model.inputShape.reduce(1, *), seed: 8, range: 0...2)
            let seed = randomFloats(batch * classes, seed: 9)
            var results: [(probabilities: [Float], grads: [[Float]])] = []
            for (blocked, chunk) in [(false, 0), (true, 0), (false, 2), (true, 2), (true, 1)] {
                let plan = try ExecutionPlan(model: model, batch: batch, training: true, resources: try KernelResources(),
                                             blockedLayouts: blocked, convPoolChunk: chunk)
                let what = "\(name), blocked \(blocked), chunk \(chunk)"
                XCTAssertEqual(plan.stages.contains { $0.kernel is ConvPoolKernel }, chunk > 0, what)
                plan.input.pointer.update(from: x, count: x.count)
                try plan.forward(parameters: store.valuePointers)
                plan.gradA!.pointer.update(from: seed, count: seed.count)
                let grads = model.parameterSpecs.map { $0.map { FloatBuffer(count: $0.shape.reduce(1, *)) } }
                try plan.backward(parameters: store.valuePointers, grads: grads.map { $0.map(\.pointer) })
                let result = (plan.output.array(count: batch * classes), grads.flatMap { $0.map { $0.array() } })
                if let reference = results.first {
                    assertClose(result.0, reference.probabilities, absolute: 1e-6, relative: 1e-4, what + " probabilities")
                    for (k, g) in reference.grads.enumerated() {
                        assertClose(result.1[k], g, absolute: 1e-5 * max(1, maxAbs(g)), relative: 1e-3, what + " gradient \(k)")
                    }
                } else {
                    let frozenCount = model.parameterSpecs.indices.filter { !model.isTrainable(layerAt: $0) && !model.parameterSpecs[$0].isEmpty }.count
                    for (k, g) in result.1.enumerated() where k >= 2 * frozenCount {
                        XCTAssertGreaterThan(maxAbs(g), 0, "\(what): gradient \(k) is all zero")
                    }
                }
                results.append(result)
            }
        }
    }

    func testBadInputsAreErrors() throws {
        let model = try smallModel()
        let trainer = try Trainer(model: model, optimizer: SGD(), batchSize: 2)
        let wrongShape = try smallData(count: 2, shape: [5, 5, 2])
        XCTAssertThrowsError(try trainer.trainStep(wrongShape, indices: [0, 1]))
        let badLabels = try TensorSamples(samples: Tensor(zeros: [1, 6, 6, 2]), labels: [7])
        XCTAssertThrowsError(try trainer.trainStep(badLabels, indices: [0]))
        XCTAssertThrowsError(try Trainer(model: try Sequential(inputShape: [3], layers: [Dense(2, name: "d")]), optimizer: SGD()))
        XCTAssertThrowsError(try Tensor(shape: [2, 2], scalars: [1]))
        XCTAssertThrowsError(try ByteImageSamples(pixels: [1, 2, 3], labels: [0], sampleShape: [2, 2, 1]))
    }
}
