import FaceKit
import XCTest

/// The box colour's calibration: sure only where the validation faces were right often enough.
final class ConfidenceThresholdTests: XCTestCase {
    /// Two classes; each face's top probability `p` for class 0, right when `label` is 0.
    private func faces(_ answers: [(p: Float, right: Bool)]) -> (probabilities: [Float], labels: [Int]) {
        (answers.flatMap { [$0.p, 1 - $0.p] }, answers.map { $0.right ? 0 : 1 })
    }

    func testTheLowestProbabilityThatIsPreciseEnough() throws {
        // Right at 0.99 .. 0.90 (10 faces), then wrong at 0.88, right at 0.85, wrong at 0.80 and 0.75.
        var answers: [(p: Float, right: Bool)] = (0..<10).map { (Float(0.99 - Double($0) * 0.01), true) }
        answers += [(0.88, false), (0.85, true), (0.80, false), (0.75, false)]
        let (p, labels) = faces(answers)
        let threshold = try XCTUnwrap(ConfidenceThreshold.calibrate(probabilities: p, labels: labels, classes: 2, targetPrecision: 0.9))
        // At 0.85: 11 right of 12 (0.917); at 0.80: 11 of 13 (0.846).
        XCTAssertEqual(try XCTUnwrap(threshold.sureProbability), 0.85, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(threshold.validationPrecision), 11.0 / 12.0, accuracy: 1e-9)
        XCTAssertEqual(threshold.validationFaces, 14)
        XCTAssertTrue(threshold.isSure(0.86))
        XCTAssertFalse(threshold.isSure(0.84))
    }

    func testAModelThatIsConfidentlyWrongIsNeverSure() throws {
        // A weak model: 97% and wrong as often as right.
        let (p, labels) = faces((0..<12).map { (0.97, $0 % 2 == 0) })
        let threshold = try XCTUnwrap(ConfidenceThreshold.calibrate(probabilities: p, labels: labels, classes: 2))
        XCTAssertNil(threshold.sureProbability)
        XCTAssertFalse(threshold.isSure(0.97))
        XCTAssertFalse(threshold.isSure(1.0))
    }

    func testTooFewFacesSayNothing() {
        let (p, labels) = faces((0..<(ConfidenceThreshold.minimumFaces - 1)).map { _ in (0.99, true) })
        XCTAssertNil(ConfidenceThreshold.calibrate(probabilities: p, labels: labels, classes: 2))
    }
}
