import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Photo -> detector boxes -> 64x64 crops -> the real plugin -> labels.
final class PhotoPredictionTests: XCTestCase {
    func testFacesOfAPhotoAreCroppedAndNamed() throws {
        let (predictor, _, _, _) = try PredictionFixtures.trainedPredictor()
        let detector = FakeFaceDetector { _ in [FaceBox(x: 64, y: 0, width: 64, height: 64), FaceBox(x: 0, y: 0, width: 64, height: 64)] }
        let faces = try PhotoPrediction.predict(image: try PredictionFixtures.photo(left: 1, right: 3), detector: detector, predictor: predictor)
        XCTAssertEqual(faces.map(\.box.x), [64, 0])
        XCTAssertEqual(faces.map(\.label.member), ["RYUJI", "AKIRA"])
        XCTAssertEqual(faces[0].label.groups, ["3JSB"])
        XCTAssertEqual(faces[0].label.top.count, 3)
    }

    func testTwoFacesOfTheSameMemberAreNotBothNamed() throws {
        let (predictor, _, _, _) = try PredictionFixtures.trainedPredictor()
        let detector = FakeFaceDetector { _ in [FaceBox(x: 0, y: 0, width: 64, height: 64), FaceBox(x: 64, y: 0, width: 64, height: 64)] }
        let faces = try PhotoPrediction.predict(image: try PredictionFixtures.photo(left: 2, right: 2), detector: detector, predictor: predictor)
        XCTAssertEqual(faces.filter { $0.label.member == "NAOTO" }.count, 1)
        XCTAssertEqual(faces.count, 2)
    }

    func testBoxesOutsideThePhotoAndNoFaces() throws {
        let (predictor, _, _, _) = try PredictionFixtures.trainedPredictor()
        let image = try PredictionFixtures.photo(left: 0, right: 1)
        let outside = FakeFaceDetector { _ in [FaceBox(x: 500, y: 0, width: 10, height: 10), FaceBox(x: 0, y: 0, width: 0, height: 5)] }
        XCTAssertEqual(try PhotoPrediction.predict(image: image, detector: outside, predictor: predictor), [])
        // Partly outside: clamped like the dataset pipeline clamps.
        let partly = FakeFaceDetector { _ in [FaceBox(x: -10, y: -10, width: 74, height: 74)] }
        XCTAssertEqual(try PhotoPrediction.predict(image: image, detector: partly, predictor: predictor).count, 1)
        // No detector: the whole photo is the face.
        XCTAssertEqual(try PhotoPrediction.predict(image: image, detector: nil, predictor: predictor).map(\.box),
                       [FaceBox(x: 0, y: 0, width: 128, height: 64)])
    }

    func testDetectorNames() throws {
        XCTAssertEqual(try PredictionDetector.make(named: "already-cropped").name, "already-cropped")
        XCTAssertEqual(try PredictionDetector.make(named: "haar-original").name, "haar-original")
        XCTAssertThrowsError(try PredictionDetector.make(named: "magic")) { XCTAssertTrue("\($0)".contains("unknown detector")) }
    }
}
