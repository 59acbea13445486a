import Foundation
import XCTest
import FaceKit

/// Photo -> detector boxes -> 64x64 crops -> the real plugin -> labels.
final class PhotoPredictionTests: XCTestCase {
    static let classes = ["TAKAHIRO", "AKIRA", "NAOTO", "RYUJI"]
    static let groups = ["TAKAHIRO": ["EXILE"], "AKIRA": ["EXILE"], "NAOTO": ["EXILE", "3JSB"], "RYUJI": ["3JSB"]]

    /// A model that tells the four synthetic classes apart, and its manifest.
    static func trainedPredictor(threshold: Double = 0.5) throws -> (FacePredictor, PluginBackend, ModelManifest, any BackendModel) {
        let backend = try TestPlugins.linear()
        let model = try backend.makeModel(ModelConfiguration(classCount: 4, seed: 1, inputScale: 1.0 / 255))
        let train = try SyntheticFaces.make(classes: 4, perClass: 25, seed: 1)
        for epoch in 0..<8 {
            _ = try model.trainEpoch(on: train, batchSize: 16, learningRate: 0.05, shuffleSeed: UInt64(epoch)) { _ in true }
        }
        var manifest = sampleManifest(backend.info, classes: classes)
        manifest.memberGroups = groups
        manifest.preprocessing = ["detector": .string("already-cropped")]
        return (try FacePredictor(manifest: manifest, model: model, policy: PredictionPolicy(threshold: threshold)), backend, manifest, model)
    }

    /// Two synthetic faces (class `left` and `right`) side by side in a 128x64 photo.
    static func photo(left: Int, right: Int) throws -> RGBImage {
        let faces = try SyntheticFaces.make(classes: 4, perClass: 1, seed: 77)
        var pixels = [UInt8](repeating: 0, count: 128 * 64 * 3)
        for (slot, k) in [left, right].enumerated() {
            for y in 0..<64 {
                for x in 0..<64 {
                    for c in 0..<3 {
                        pixels[(y * 128 + slot * 64 + x) * 3 + c] = faces.pixels[k * ImageLayout.bytes + (y * 64 + x) * 3 + c]
                    }
                }
            }
        }
        return RGBImage(width: 128, height: 64, pixels: pixels)
    }

    func testFacesOfAPhotoAreCroppedAndNamed() throws {
        let (predictor, _, _, _) = try Self.trainedPredictor()
        let detector = FakeFaceDetector { _ in [FaceBox(x: 64, y: 0, width: 64, height: 64), FaceBox(x: 0, y: 0, width: 64, height: 64)] }
        let faces = try PhotoPrediction.predict(image: try Self.photo(left: 1, right: 3), detector: detector, predictor: predictor)
        XCTAssertEqual(faces.map(\.box.x), [64, 0])
        XCTAssertEqual(faces.map(\.label.member), ["RYUJI", "AKIRA"])
        XCTAssertEqual(faces[0].label.groups, ["3JSB"])
        XCTAssertEqual(faces[0].label.top.count, 3)
    }

    func testTwoFacesOfTheSameMemberAreNotBothNamed() throws {
        let (predictor, _, _, _) = try Self.trainedPredictor()
        let detector = FakeFaceDetector { _ in [FaceBox(x: 0, y: 0, width: 64, height: 64), FaceBox(x: 64, y: 0, width: 64, height: 64)] }
        let faces = try PhotoPrediction.predict(image: try Self.photo(left: 2, right: 2), detector: detector, predictor: predictor)
        XCTAssertEqual(faces.filter { $0.label.member == "NAOTO" }.count, 1)
        XCTAssertEqual(faces.count, 2)
    }

    func testBoxesOutsideThePhotoAndNoFaces() throws {
        let (predictor, _, _, _) = try Self.trainedPredictor()
        let image = try Self.photo(left: 0, right: 1)
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
