import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// The schedule half of the small whole-run parity check: Keras' val_loss of the run in
/// Tests/Fixtures/keras-whole-run (bench/peers/keras_parity.py fixture), fed through FaceKit's
/// TrainingSession with the write-up's callbacks, must give Keras' learning rate every epoch and
/// stop after the same epoch. (NeuralKitTests' KerasWholeRunTests checks the curves themselves.)
final class KerasWholeRunScheduleTests: XCTestCase {
    struct Fixture: Decodable {
        struct Epoch: Decodable {
            var loss: Double
            var val_loss: Double
            var lr: Double
        }
        struct End: Decodable {
            var epochs: Int
            var stopped_epoch: Int
        }
        var epochs: Int
        var learning_rate: Double
        var history: [Epoch]
        var end: End
    }

    func testSessionTakesKerasDecisionsOnKerasCurves() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras-whole-run/keras_whole_run.json")
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertGreaterThan(f.end.stopped_epoch, 0, "the fixture's Keras run stops early")
        let samples = try SyntheticFaces.make(classes: 2, perClass: 1, seed: 0)
        // Keras' val_loss, then values that would keep a run going had it not stopped.
        let val = f.history.map(\.val_loss) + [Double](repeating: 0.01, count: f.epochs - f.history.count)
        let backend = ScriptedBackend(.init(trainLoss: val, valLoss: val))
        let model = try backend.makeModel(ModelConfiguration(classCount: 2)) as! ScriptedModel
        var configuration = TrainingPreset.original.configuration()
        configuration.epochs = f.epochs
        configuration.learningRate = f.learning_rate
        let result = try TrainingSession(backend: backend, configuration: configuration)
            .run(model: model, training: samples, validation: samples)
        XCTAssertEqual(result.history.map(\.lr), f.history.map(\.lr), "learning rate per epoch")
        XCTAssertEqual(result.stop, .earlyStopped(epoch: f.end.stopped_epoch))
    }
}
