import Foundation
import XCTest
@testable import NeuralKit

/// The small version of the whole-run parity check (bench/peers/keras_parity.py): the write-up's
/// scratch CNN on 8x8x3 images, 3 classes, batch 8 with a partial last batch, raw 0-255 input,
/// trained by a real Keras `fit` with ReduceLROnPlateau and EarlyStopping, epoch by epoch from
/// NeuralKit's own initial weights (recomputed by the generator) and the same per-epoch orders.
/// NeuralKit must give Keras' loss and val_loss every epoch at Keras' learning rates. (That
/// FaceKit's callbacks take Keras' decisions on these val_loss values: FaceKitTests'
/// KerasWholeRunScheduleTests.)
final class KerasWholeRunTests: XCTestCase {
    struct Fixture: Decodable {
        struct Epoch: Decodable {
            var epoch: Int
            var loss: Double
            var accuracy: Double
            var val_loss: Double
            var val_accuracy: Double
            var lr: Double
        }
        var shape: [Int]
        var classes: Int
        var batch: Int
        var neuralkit_seed: UInt64
        var init_abs_sums: [String: Double]
        var x_train: String
        var y_train: [Int]
        var x_val: String
        var y_val: [Int]
        var orders: [[Int]]
        var history: [Epoch]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras-whole-run/keras_whole_run.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Relative tolerance per epoch, for loss and val_loss. float32 on both sides with different
    /// summation orders; measured worst 2026-12-02: 2.8e-5 (printed by the test).
    static let tolerance = 5e-4

    func testCurvesFollowKerasEpochByEpoch() throws {
        let f = try Self.fixture()
        let images = { (b64: String, labels: [Int]) throws -> ByteImageSamples in
            try ByteImageSamples(pixels: [UInt8](try XCTUnwrap(Data(base64Encoded: b64))), labels: labels, sampleShape: f.shape)
        }
        let train = try images(f.x_train, f.y_train), val = try images(f.x_val, f.y_val)
        let model = try Architectures.scratchCNN(inputShape: f.shape, classes: f.classes, seed: f.neuralkit_seed)
        for (name, sum) in f.init_abs_sums {
            let ours = try model.parameter(name).scalars.reduce(0.0) { $0 + Double(abs($1)) }
            XCTAssertEqual(ours, sum, accuracy: 1e-6 * max(sum, 1), "initial \(name): the generator's copy of NeuralKit's draw")
        }
        XCTAssertTrue(f.history.contains { $0.lr < f.history[0].lr }, "the fixture's run reduces the learning rate")
        let trainer = try Trainer(model: model, optimizer: SGD(learningRate: Float(f.history[0].lr)), batchSize: f.batch)
        var worst = 0.0
        for k in f.history {
            trainer.learningRate = Float(k.lr)
            let t = try trainer.fitEpoch(order: f.orders[k.epoch - 1], batch: { (train, Array($0)) })
            let v = try trainer.evaluate(val)
            let rl = abs(t.loss - k.loss) / k.loss, rv = abs(v.loss - k.val_loss) / k.val_loss
            worst = max(worst, rl, rv)
            XCTAssertLessThan(rl, Self.tolerance, "epoch \(k.epoch) loss: NeuralKit \(t.loss), Keras \(k.loss)")
            XCTAssertLessThan(rv, Self.tolerance, "epoch \(k.epoch) val_loss: NeuralKit \(v.loss), Keras \(k.val_loss)")
            XCTAssertEqual(t.accuracy, k.accuracy, accuracy: 1.5 / Double(train.count), "epoch \(k.epoch) accuracy")
            XCTAssertEqual(v.accuracy, k.val_accuracy, accuracy: 1.5 / Double(val.count), "epoch \(k.epoch) val_accuracy")
        }
        print("Keras whole-run parity (small): \(f.history.count) epochs, worst relative loss difference \(worst)")
    }

    /// Keras 3's fit and evaluate take the loss from the softmax's logits: a 1-unit Dense with
    /// kernel [15, -15] on input 1, true class 1, reports 30.0 there (measured: Keras 3.15.1,
    /// TensorFlow backend), where the clipped formula gives 16.118.
    func testConfidentlyWrongLossIsNotClipped() throws {
        let e = Float(exp(-30.0))
        var p: [Float] = [1 / (1 + e), e / (1 + e)]
        let r = try SoftmaxCrossEntropy.lossAndGradient(probabilities: &p, labels: [1], classes: 2, gradient: nil)
        XCTAssertEqual(r.loss, 30.0, accuracy: 1e-4)
        var zero: [Float] = [1, 0]
        let floored = try SoftmaxCrossEntropy.lossAndGradient(probabilities: &zero, labels: [1], classes: 2, gradient: nil)
        XCTAssertTrue(floored.loss.isFinite && floored.loss > 87, "an underflowed probability stays finite: \(floored.loss)")
    }
}
