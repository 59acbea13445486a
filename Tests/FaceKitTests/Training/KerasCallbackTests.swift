import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// ReduceLROnPlateau and EarlyStopping against decisions recorded from a real Keras `fit`
/// (Tests/Fixtures/keras-callbacks/generate_keras_callbacks.py).
final class KerasCallbackTests: XCTestCase {
    struct Fixture: Decodable {
        struct Reduce: Decodable {
            var factor: Double
            var patience: Int
            var min_lr: Double
            var min_delta: Double
            var cooldown: Int
        }
        struct Early: Decodable {
            var patience: Int
            var min_delta: Double
        }
        struct Case: Decodable {
            var name: String
            var initial_lr: Double
            var reduce_lr_on_plateau: Reduce?
            var early_stopping: Early?
            var val_loss: [Double]
            var expected_lr: [Double]
            var epochs_run: Int
            var stopped_early: Bool
        }
        var keras_version: String
        var cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras-callbacks/keras_callbacks.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func configuration(_ c: Fixture.Case) -> TrainingConfiguration {
        TrainingConfiguration(
            epochs: c.val_loss.count, batchSize: 1, learningRate: c.initial_lr, seed: 0,
            reduceLROnPlateau: c.reduce_lr_on_plateau.map {
                .init(factor: $0.factor, patience: $0.patience, minLR: $0.min_lr, minDelta: $0.min_delta, cooldown: $0.cooldown)
            },
            earlyStopping: c.early_stopping.map { .init(patience: $0.patience, minDelta: $0.min_delta) })
    }

    func testFixtureCoversTheInterestingCases() throws {
        let f = try Self.fixture()
        XCTAssertGreaterThanOrEqual(f.cases.count, 20)
        XCTAssertTrue(f.cases.contains { $0.stopped_early }, "some case stops early")
        XCTAssertTrue(f.cases.contains { !$0.stopped_early && $0.early_stopping != nil }, "some case runs to the end")
        XCTAssertTrue(f.cases.contains { ($0.expected_lr.last ?? 1) < 1.0001e-8 }, "some case reaches min_lr")
        XCTAssertTrue(f.cases.contains { $0.expected_lr.count > 1 && $0.expected_lr.last! < $0.expected_lr.first! }, "some case reduces")
    }

    /// The two callbacks alone, driven epoch by epoch like Keras does.
    func testCallbacksReproduceKerasDecisions() throws {
        for c in try Self.fixture().cases {
            let config = Self.configuration(c)
            var reduce = config.reduceLROnPlateau.map(ReduceLROnPlateau.init)
            var early = config.earlyStopping.map(EarlyStopping.init)
            var lr = Float(c.initial_lr)
            var lrs: [Double] = []
            var stoppedAt: Int?
            for (epoch, value) in c.val_loss.enumerated() {
                lrs.append(Double(lr))
                if var r = reduce { lr = r.epochEnded(monitor: value, learningRate: lr); reduce = r }
                if var e = early {
                    let decision = e.epochEnded(epoch, monitor: value)
                    early = e
                    if decision == .stop { stoppedAt = epoch + 1; break }
                }
            }
            XCTAssertEqual(lrs, c.expected_lr, "learning rates per epoch, case \(c.name)")
            XCTAssertEqual(stoppedAt ?? c.val_loss.count, c.epochs_run, "stop epoch, case \(c.name)")
            XCTAssertEqual(stoppedAt != nil, c.stopped_early, "case \(c.name)")
        }
    }

    /// The same decisions through the whole TrainingSession with the scripted backend, so the
    /// loop's wiring (order of callbacks, lr hand-over, history) is checked too.
    func testTrainingSessionReproducesKerasDecisions() throws {
        let samples = try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0)
        for c in try Self.fixture().cases {
            let backend = ScriptedBackend(.init(trainLoss: c.val_loss.map { $0 + 0.1 }, valLoss: c.val_loss))
            let model = try backend.makeModel(ModelConfiguration(classCount: 2)) as! ScriptedModel
            let result = try TrainingSession(backend: backend, configuration: Self.configuration(c))
                .run(model: model, training: samples, validation: samples)
            XCTAssertEqual(result.history.map(\.lr), c.expected_lr, "history lr, case \(c.name)")
            XCTAssertEqual(model.learningRates.map(Double.init), c.expected_lr, "lr the backend trained with, case \(c.name)")
            XCTAssertEqual(result.history.map(\.valLoss), Array(c.val_loss.prefix(c.epochs_run)), "case \(c.name)")
            XCTAssertEqual(result.stop, c.stopped_early ? .earlyStopped(epoch: c.epochs_run) : .completed, "case \(c.name)")
        }
    }

    /// Hand-checked semantics that the fixture relies on, stated plainly.
    func testKerasDetails() {
        // EarlyStopping counts a 1e-9 improvement (min_delta 0), ReduceLROnPlateau does not (1e-4).
        var early = EarlyStopping(.init(patience: 1))
        XCTAssertEqual(early.epochEnded(0, monitor: 1.0), .improved)
        XCTAssertEqual(early.epochEnded(1, monitor: 0.99), .improved)
        XCTAssertEqual(early.epochEnded(2, monitor: 0.99), .stop)
        var reduce = ReduceLROnPlateau(.init(factor: 0.5, patience: 1, minLR: 0.25))
        XCTAssertEqual(reduce.epochEnded(monitor: 1.0, learningRate: 1), 1)
        XCTAssertEqual(reduce.epochEnded(monitor: 0.99995, learningRate: 1), 0.5, "below min_delta: a plateau")
        XCTAssertEqual(reduce.epochEnded(monitor: 0.9999, learningRate: 0.5), 0.25)
        XCTAssertEqual(reduce.epochEnded(monitor: 0.9999, learningRate: 0.25), 0.25, "at min_lr nothing changes")
        XCTAssertEqual(reduce.epochEnded(monitor: 0.9999, learningRate: 0.25), 0.25)
        XCTAssertEqual(reduce.wait, 2, "and wait is not reset at the floor")
    }
}
