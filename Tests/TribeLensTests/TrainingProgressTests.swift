import FaceKit
import XCTest
@testable import TribeLens

/// The training panel's progress bar: its fraction over the whole run and its text, driven by
/// the run's own events.
final class TrainingProgressTests: XCTestCase {
    func testFractionCountsEpochsAndBatchesAndNeverGoesBack() {
        var progress = TrainingProgress(stage: .preparing(done: 3, total: 10))
        XCTAssertEqual(progress.fraction, 0)
        XCTAssertEqual(progress.text, "Finding faces: 3 of 10 photos")
        var fractions: [Double] = []
        for epoch in 1...4 {
            progress.apply(.epochStarted(epoch: epoch, of: 4, learningRate: 0.01))
            fractions.append(progress.fraction)
            for batch in 1...5 {
                progress.apply(.batch(epoch: epoch, progress: BatchProgress(batchesDone: batch, batchesTotal: 5,
                                                                              runningLoss: 1, runningAccuracy: 0.5)))
                fractions.append(progress.fraction)
            }
            if epoch == 2 {
                XCTAssertEqual(progress.fraction, 0.5, accuracy: 1e-12, "two of four epochs done")
                XCTAssertEqual(progress.text, "Epoch 2 of 4 · batch 5 of 5")
            }
            progress.apply(.epochEnded(EpochRecord(epoch: epoch, loss: 1, accuracy: 0.5, valLoss: nil, valAccuracy: nil,
                                                   lr: 0.01, seconds: 1)))
        }
        XCTAssertEqual(fractions, fractions.sorted(), "the bar only moves forward")
        XCTAssertEqual(fractions[1], (0 + 1.0 / 5) / 4, accuracy: 1e-12)
        XCTAssertEqual(progress.stage, .evaluating, "after the last epoch the test set is measured")
        XCTAssertEqual(progress.fraction, 1)
    }

    func testTheTimeLeftComesFromTheMeasuredEpochs() {
        var progress = TrainingProgress()
        progress.apply(.epochStarted(epoch: 1, of: 10, learningRate: 0.01))
        XCTAssertNil(progress.remainingSeconds, "nothing measured yet")
        XCTAssertEqual(progress.barText, "0% · measuring the time left…")
        // Epochs of 30 s, 20 s, 10 s, 20 s: the last three average 50/3 s.
        for (epoch, seconds) in [30.0, 20, 10, 20].enumerated() {
            progress.apply(.epochEnded(EpochRecord(epoch: epoch + 1, loss: 1, accuracy: 0.5, valLoss: nil, valAccuracy: nil,
                                                   lr: 0.01, seconds: seconds)))
        }
        progress.apply(.epochStarted(epoch: 5, of: 10, learningRate: 0.01))
        progress.apply(.batch(epoch: 5, progress: BatchProgress(batchesDone: 2, batchesTotal: 4, runningLoss: 1, runningAccuracy: 0.5)))
        // Half of epoch 5 and epochs 6-10 are left: 5.5 epochs of 50/3 s.
        XCTAssertEqual(try XCTUnwrap(progress.remainingSeconds), 5.5 * 50 / 3, accuracy: 1e-9)
        XCTAssertEqual(progress.barText, "45% · about 2 min left")
        XCTAssertEqual(progress.text, "Epoch 5 of 10 · batch 2 of 4", "the status line says where, the bar how long")
        XCTAssertEqual(TrainingProgress.remainingText(3), "about 5 s left")
        XCTAssertEqual(TrainingProgress.remainingText(41), "about 45 s left")
        XCTAssertEqual(TrainingProgress.remainingText(61), "about 2 min left")
    }

    func testALearningRateChangeOrABatchBeforeAnyEpochDoesNotMoveTheBar() {
        var progress = TrainingProgress()
        progress.apply(.batch(epoch: 1, progress: BatchProgress(batchesDone: 1, batchesTotal: 2, runningLoss: 1, runningAccuracy: 0)))
        XCTAssertEqual(progress.stage, .readingCrops)
        progress.apply(.learningRateReduced(epoch: 1, from: 0.01, to: 0.005))
        XCTAssertEqual(progress.stage, .readingCrops)
        XCTAssertEqual(progress.fraction, 0)
    }
}
