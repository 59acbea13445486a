import Foundation
import SharedTestSupport
import XCTest
@testable import FaceKit

/// Who may be named at all (issue 15, item 1): a box the detector doubts, a Haar box the model is
/// not sure of, a face a softmax model cannot place. `FakeBackend` answers each face from the
/// number in its first pixel, so every case is worked by hand.
final class DetectorConfidenceTests: XCTestCase {
    /// Rows of probabilities over members a, b, c, one per face.
    private func predictor(detector: String, rows: [[Float]], confidence: ConfidenceThreshold? = nil,
                           naming: ConfidenceThreshold? = nil) throws -> FacePredictor {
        let backend = FakeBackend { image in rows[Int(image[image.startIndex])] }
        var manifest = sampleManifest(backend.info)
        manifest.preprocessing = ["detector": .string(detector)]
        manifest.confidence = confidence
        manifest.naming = naming
        let model = try backend.makeModel(ModelConfiguration(classCount: 3))
        return try FacePredictor(manifest: manifest, model: model)
    }

    private func images(_ count: Int) -> [UInt8] {
        (0..<count).flatMap { face -> [UInt8] in
            var image = [UInt8](repeating: 0, count: InputSpec.legacy.bytes)
            image[0] = UInt8(face)
            return image
        }
    }

    private func box(_ score: Double?) -> FaceBox { FaceBox(x: 0, y: 0, width: 64, height: 64, score: score) }

    private func threshold(_ p: Double?) -> ConfidenceThreshold {
        ConfidenceThreshold(sureProbability: p, targetPrecision: 0.95, validationPrecision: p == nil ? nil : 1, validationFaces: 40)
    }

    func testABoxTheDetectorDoubtsIsNobodyAndTakesNoMembersSlot() throws {
        // Face 0 (YuNet 0.60, letters on a wall) looks most like a; face 1 (0.98) is a, less clearly.
        let p = try predictor(detector: "yunet", rows: [[0.97, 0.02, 0.01], [0.85, 0.10, 0.05]])
        let labels = try p.labelFaces(pixels: images(2), count: 2, boxes: [box(0.60), box(0.98)])
        XCTAssertNil(labels[0].member)
        XCTAssertEqual(labels[0].groups, [], "no group answer for a doubtful box either")
        XCTAssertEqual(labels[0].top.first?.member, "a", "its candidates stay for the popover")
        XCTAssertEqual(labels[1].member, "a", "the doubtful box did not push a onto someone else")
        // Without boxes (faces given as crops) both compete as before: a goes to the clearer one.
        let unboxed = try p.labelFaces(pixels: images(2), count: 2)
        XCTAssertEqual(unboxed[0].member, "a")
        XCTAssertNotEqual(unboxed[1].member, "a")
        XCTAssertThrowsError(try p.labelFaces(pixels: images(2), count: 2, boxes: [box(0.9)]))
    }

    func testAHaarBoxIsNamedOnlyWhereTheModelIsSure() throws {
        let rows: [[Float]] = [[0.85, 0.10, 0.05], [0.05, 0.93, 0.02]]
        let calibrated = try predictor(detector: "haar-default", rows: rows, confidence: threshold(0.9))
        let labels = try calibrated.labelFaces(pixels: images(2), count: 2, boxes: [box(nil), box(nil)])
        XCTAssertNil(labels[0].member, "85% is below the model's sure 90%")
        XCTAssertEqual(labels[1].member, "b")
        XCTAssertEqual(labels[1].sure, true)
        // A model no probability of which was precise enough names no Haar face.
        let weak = try predictor(detector: "haar-default", rows: rows, confidence: threshold(nil))
        XCTAssertEqual(try weak.labelFaces(pixels: images(2), count: 2, boxes: [box(nil), box(nil)]).map(\.member), [nil, nil])
        // A model saved before calibration: 80%, as the app showed sure then.
        let legacy = try predictor(detector: "haar-default", rows: [[0.79, 0.2, 0.01], [0.05, 0.81, 0.14]])
        XCTAssertEqual(try legacy.labelFaces(pixels: images(2), count: 2, boxes: [box(nil), box(nil)]).map(\.member), [nil, "b"])
        // The whole photo as the face is a face by the user's word.
        let cropped = try predictor(detector: "already-cropped", rows: rows, confidence: threshold(0.9))
        XCTAssertEqual(try cropped.labelFaces(pixels: images(2), count: 2, boxes: [box(nil), box(nil)]).map(\.member), ["a", "b"])
        // Only Haar's missing score counts against a box; a detector without scores that is not
        // Haar (the app tests' fake) is taken at its word.
        let fake = try predictor(detector: "fake-model", rows: rows, confidence: threshold(0.9))
        XCTAssertEqual(try fake.labelFaces(pixels: images(2), count: 2, boxes: [box(nil), box(nil)]).map(\.member), ["a", "b"])
    }

    func testASoftmaxModelSaysUnknownBelowItsCalibratedNamingProbability() throws {
        // Validation: 10 right answers at 0.90...0.99, 10 wrong ones at 0.55...0.64. Walking down
        // from the top, precision is 10/11 at 0.64, 10/12 = 0.83 at 0.63, 10/13 = 0.77 at 0.62:
        // the lowest probability whose names are right 80% of the time is 0.63.
        var probabilities: [Float] = []
        var labels: [Int] = []
        for i in 0..<20 {
            let right = i < 10
            let top = right ? Float(0.90 + 0.01 * Double(i)) : Float(0.55 + 0.01 * Double(i - 10))
            let truth = i % 3
            var row = [Float](repeating: (1 - top) / 2, count: 3)
            row[right ? truth : (truth + 1) % 3] = top
            probabilities += row
            labels.append(truth)
        }
        let naming = try XCTUnwrap(ConfidenceThreshold.calibrate(probabilities: probabilities, labels: labels, classes: 3,
                                                                 targetPrecision: ConfidenceThreshold.namingPrecision))
        XCTAssertEqual(try XCTUnwrap(naming.sureProbability), 0.63, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(naming.validationPrecision), 10.0 / 12, accuracy: 1e-9)
        // A face at 60% (above the policy's 0.5) is unknown for this model; one at 95% is named.
        let p = try predictor(detector: "already-cropped", rows: [[0.60, 0.30, 0.10], [0.02, 0.03, 0.95]], naming: naming)
        let named = try p.labelFaces(pixels: images(2), count: 2)
        XCTAssertNil(named[0].member)
        XCTAssertEqual(named[0].group, "G1", "a and b, both G1, sum to 0.9: the group answer stays")
        XCTAssertEqual(named[0].top.first?.member, "a")
        XCTAssertEqual(named[1].member, "c")
        // The same model without the calibration names the first face: what changed is the bar.
        let uncalibrated = try predictor(detector: "already-cropped", rows: [[0.60, 0.30, 0.10], [0.02, 0.03, 0.95]])
        XCTAssertEqual(try uncalibrated.labelFaces(pixels: images(2), count: 2).first?.member, "a")
    }
}
