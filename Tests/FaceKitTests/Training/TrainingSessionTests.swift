import Foundation
import XCTest
import SharedTestSupport
import FaceKit

final class TrainingSessionTests: XCTestCase {
    private func linearRun(seed: UInt64, epochs: Int = 8, lr: Double = 0.05)
        throws -> (TrainingResult, InMemorySamples) {
        let backend = try TestPlugins.linear()
        let train = try SyntheticFaces.make(classes: 4, perClass: 30, seed: 11)
        let validation = try SyntheticFaces.make(classes: 4, perClass: 10, seed: 12)
        let model = try backend.makeModel(ModelConfiguration(classCount: 4, seed: seed, inputScale: 1.0 / 255.0))
        let config = TrainingConfiguration(epochs: epochs, batchSize: 16, learningRate: lr, seed: seed)
        let result = try TrainingSession(backend: backend, configuration: config)
            .run(model: model, training: train, validation: validation)
        return (result, validation)
    }

    func testRealPluginLearnsWellAboveChance() throws {
        let (result, validation) = try linearRun(seed: 1)
        let last = try XCTUnwrap(result.history.last)
        XCTAssertGreaterThan(last.valAccuracy ?? 0, 0.9, "4 classes: chance is 0.25")
        XCTAssertLessThan(last.loss, result.history[0].loss, "training loss goes down")
        let probabilities = try result.model.predict(pixels: validation.pixels, count: validation.count)
        let report = try EvaluationReport(probabilities: probabilities, labels: validation.labels.map(Int.init),
                                          classes: ["a", "b", "c", "d"])
        XCTAssertEqual(report.accuracy, last.valAccuracy ?? -1, accuracy: 1e-9, "evaluate() and predict() agree")
    }

    func testSameSeedSameRunOtherSeedOtherRun() throws {
        let (a, validation) = try linearRun(seed: 5, epochs: 3)
        let (b, _) = try linearRun(seed: 5, epochs: 3)
        let (c, _) = try linearRun(seed: 6, epochs: 3)
        XCTAssertEqual(a.history.map(\.loss), b.history.map(\.loss))
        XCTAssertEqual(a.history.map(\.valLoss), b.history.map(\.valLoss))
        XCTAssertEqual(try a.model.predict(pixels: validation.pixels, count: validation.count),
                       try b.model.predict(pixels: validation.pixels, count: validation.count))
        XCTAssertNotEqual(a.history.map(\.loss), c.history.map(\.loss))
    }

    func testEpochsGetDistinctReproducibleShuffleSeeds() throws {
        let backend = ScriptedBackend(.init(trainLoss: [1, 1, 1], valLoss: [1, 0.9, 0.8]))
        let model = try backend.makeModel(ModelConfiguration(classCount: 2)) as! ScriptedModel
        let samples = try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0)
        _ = try TrainingSession(backend: backend, configuration: TrainingConfiguration(epochs: 3, seed: 42))
            .run(model: model, training: samples, validation: samples)
        XCTAssertEqual(model.shuffleSeeds, (0..<3).map { TrainingSession.shuffleSeed(seed: 42, epoch: $0) })
        XCTAssertEqual(Set(model.shuffleSeeds).count, 3)
    }

    func testRealPluginDivergenceStopsWithAClearMessage() throws {
        let backend = try TestPlugins.linear()
        let train = try SyntheticFaces.make(classes: 3, perClass: 10, seed: 1)
        // Raw 0-255 input at an absurd learning rate: the logits overflow within an epoch or two.
        let model = try backend.makeModel(ModelConfiguration(classCount: 3, seed: 0, inputScale: 1))
        let result = try TrainingSession(backend: backend, configuration: TrainingConfiguration(epochs: 20, batchSize: 5, learningRate: 1e30))
            .run(model: model, training: train, validation: train)
        guard case .diverged(let message) = result.stop else { return XCTFail("expected divergence, got \(result.stop)") }
        XCTAssertTrue(message.contains("diverged") && message.contains("learning rate"), message)
        XCTAssertLessThan(result.history.count, 20)
    }

    func testNaNInTheMiddleOfAnEpochStopsThatBatch() throws {
        let backend = ScriptedBackend(.init(trainLoss: [1, 1, 1], valLoss: [1, 1, 1], batchesPerEpoch: 5, nanAt: (1, 2)))
        let model = try backend.makeModel(ModelConfiguration(classCount: 2)) as! ScriptedModel
        let samples = try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0)
        let result = try TrainingSession(backend: backend, configuration: TrainingConfiguration(epochs: 3))
            .run(model: model, training: samples, validation: samples)
        XCTAssertEqual(result.stop, .diverged(message: "training diverged at epoch 2, batch 3: loss is nan at learning rate 0.01; try a lower learning rate or scaled input"))
        XCTAssertEqual(model.batchesRun, 5 + 3, "no batch after the NaN one")
        XCTAssertEqual(result.history.count, 1)
    }

    func testCancellationTakesEffectWithinOneBatch() throws {
        let backend = try TestPlugins.linear()
        let train = try SyntheticFaces.make(classes: 2, perClass: 20, seed: 1)
        let model = try backend.makeModel(ModelConfiguration(classCount: 2, inputScale: 1.0 / 255))
        let flag = CancellationFlag()
        var batchesAfterCancel = 0
        var cancelled = false
        let result = try TrainingSession(backend: backend, configuration: TrainingConfiguration(epochs: 5, batchSize: 4))
            .run(model: model, training: train, validation: train, cancellation: flag) { event in
                if case .batch(let epoch, let progress) = event {
                    if cancelled { batchesAfterCancel += 1 }
                    if epoch == 2 && progress.batchesDone == 3 {
                        flag.cancel()
                        cancelled = true
                    }
                }
            }
        XCTAssertEqual(result.stop, .cancelled)
        XCTAssertEqual(batchesAfterCancel, 0)
        XCTAssertEqual(result.history.count, 1, "epoch 2 was not finished")
    }

    func testRestoreBestWeightsPutsBackTheBestEpoch() throws {
        let script = ScriptedBackend.Script(trainLoss: [1, 1, 1, 1, 1, 1], valLoss: [1.0, 0.5, 0.7, 0.8, 0.9, 0.95])
        let samples = try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0)
        for restore in [true, false] {
            let backend = ScriptedBackend(script)
            let model = try backend.makeModel(ModelConfiguration(classCount: 2))
            var config = TrainingConfiguration(epochs: 6, restoreBestWeights: restore)
            config.reduceLROnPlateau = nil
            let result = try TrainingSession(backend: backend, configuration: config)
                .run(model: model, training: samples, validation: samples)
            XCTAssertEqual(result.stop, .earlyStopped(epoch: 5))
            let final = result.model as! ScriptedModel
            XCTAssertEqual(result.weightsEpoch, restore ? 2 : 5)
            XCTAssertEqual(final.epochsTrained, restore ? 2 : 5)
            XCTAssertEqual(final.loadedFromSnapshot, restore)
        }
    }

    func testWithoutValidationDataTheCallbacksAreOffAsInKeras() throws {
        // Flat training loss: with val_loss the callbacks would reduce lr and stop early.
        let backend = ScriptedBackend(.init(trainLoss: [1, 1, 1, 1, 1, 1], valLoss: [1, 1, 1, 1, 1, 1]))
        let model = try backend.makeModel(ModelConfiguration(classCount: 2)) as! ScriptedModel
        let samples = try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0)
        let result = try TrainingSession(backend: backend, configuration: TrainingConfiguration(epochs: 6))
            .run(model: model, training: samples, validation: nil)
        XCTAssertEqual(result.stop, .completed)
        XCTAssertEqual(result.history.count, 6)
        XCTAssertEqual(Set(model.learningRates), [Float(0.01)])
        XCTAssertTrue(result.history.allSatisfy { $0.valLoss == nil && $0.valAccuracy == nil })
        let withValidation = try TrainingSession(backend: ScriptedBackend(backend.script), configuration: TrainingConfiguration(epochs: 6))
            .run(model: ScriptedBackend(backend.script).makeModel(ModelConfiguration(classCount: 2)), training: samples, validation: samples)
        XCTAssertEqual(withValidation.stop, .earlyStopped(epoch: 4), "the contrast: flat val_loss stops after patience 3")
    }

    func testBadConfigurationIsRefusedUpFront() throws {
        let backend = ScriptedBackend(.init(trainLoss: [1], valLoss: [1]))
        let model = try backend.makeModel(ModelConfiguration(classCount: 2))
        let samples = try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0)
        for config in [TrainingConfiguration(epochs: 0), TrainingConfiguration(batchSize: 0), TrainingConfiguration(learningRate: -1),
                       TrainingConfiguration(reduceLROnPlateau: .init(factor: 1.5))] {
            XCTAssertThrowsError(try TrainingSession(backend: backend, configuration: config)
                .run(model: model, training: samples, validation: nil))
        }
        let empty = try InMemorySamples(pixels: [], labels: [])
        XCTAssertThrowsError(try TrainingSession(backend: backend, configuration: .init())
            .run(model: model, training: empty, validation: nil)) { XCTAssertEqual("\($0)", "no training samples") }
    }

    func testPresetsMatchTheIssue() {
        let original = TrainingPreset.original.configuration(seed: 3)
        XCTAssertEqual(original, TrainingConfiguration(epochs: 50, batchSize: 32, learningRate: 0.01, seed: 3,
                                                       reduceLROnPlateau: .init(factor: 0.5, patience: 2, minLR: 1e-8),
                                                       earlyStopping: .init(patience: 3), restoreBestWeights: false))
        XCTAssertEqual(TrainingPreset.original.inputScale, 1)
        XCTAssertEqual(TrainingPreset.original.validation, .testSet)
        XCTAssertTrue(TrainingPreset.recommended.configuration().restoreBestWeights)
        XCTAssertEqual(TrainingPreset.recommended.inputScale, 1.0 / 255.0)
        XCTAssertEqual(TrainingPreset.recommended.validation, .carvedFromTraining(fraction: 0.15))
    }
}
