import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

final class FaceDetectionTests: XCTestCase {
    let loader = PhotoLoader()

    /// test1.jpg shows two people; test2.jpg, despite the folder's name, one (a man at a
    /// microphone): the original preset's second hit there is on his shirt.
    func testGroupPhotosWithHaarDefaultAndYuNet() throws {
        let folder = try SharedData.url("data/group-photos")
        let detectors: [any FaceDetector] = [try HaarDetector(preset: .default),
                                             try YuNetDetector(modelPath: try SharedData.yunetModel)]
        for detector in detectors {
            let two = try detector.detect(in: loader.load(folder.appendingPathComponent("test1.jpg")))
            XCTAssertEqual(two.count, 2, "\(detector.name) on test1.jpg: \(two)")
            XCTAssertLessThan(two[0].iou(two[1]), 0.1, "two distinct faces")
            let one = try detector.detect(in: loader.load(folder.appendingPathComponent("test2.jpg")))
            XCTAssertEqual(one.count, 1, "\(detector.name) on test2.jpg: \(one)")
        }
    }

    /// 40 LFW photos shrunk to 64 px in a 1472x1120 grid: faces of about 25 px. YuNet's coarse
    /// search (640 px) alone finds few of them; its fine search, which small faces trigger, finds them.
    func testYuNetSearchesFinerWhenFacesAreSmall() throws {
        let files = PhotoFiles.collect([try SharedData.url("data/lfw-dev38")]).sorted { $0.path < $1.path }
        let picked = files.enumerated().filter { ($0.offset + 1) % 7 == 0 }.prefix(40).map(\.element)
        XCTAssertEqual(picked.count, 40)
        var canvas = RGBImage(width: 1472, height: 1120, pixels: [UInt8](repeating: 102, count: 1472 * 1120 * 3))
        for (i, url) in picked.enumerated() {
            let tile = try loader.load(url).resized(width: 64, height: 64)
            let x0 = (i % 8) * 184 + 60, y0 = (i / 8) * 224 + 80
            for row in 0..<64 {
                let dst = ((y0 + row) * canvas.width + x0) * 3
                canvas.pixels.replaceSubrange(dst ..< dst + 64 * 3, with: tile.pixels[row * 64 * 3 ..< (row + 1) * 64 * 3])
            }
        }
        let yunet = try YuNetDetector(modelPath: try SharedData.yunetModel)
        let coarse = try yunet.detect(in: canvas.resized(width: 640, height: 487))
        let found = try yunet.detect(in: canvas)
        XCTAssertLessThan(coarse.count, 34, "the coarse search alone misses small faces")
        XCTAssertGreaterThanOrEqual(found.count, 36)
        XCTAssertLessThanOrEqual(found.count, 44)
        // The fine search's faces and the coarse one's are merged, not added up (an LFW photo may
        // show a second person, so a tile can hold two faces, but never two boxes on one).
        for (i, a) in found.enumerated() {
            for b in found[(i + 1)...] { XCTAssertLessThan(a.iou(b), 0.3, "\(a) and \(b)") }
        }
        let cells = (0..<40).map { FaceBox(x: ($0 % 8) * 184 + 60, y: ($0 / 8) * 224 + 80, width: 64, height: 64) }
        XCTAssertGreaterThanOrEqual(cells.filter { cell in found.contains { $0.iou(cell) > 0.1 } }.count, 36)
    }

    func testYuNetGivesScoresAndHaarDoesNot() throws {
        let photo = try loader.load(try SharedData.url("data/group-photos/test1.jpg"))
        let yunet = try YuNetDetector(modelPath: try SharedData.yunetModel)
        for face in try yunet.detect(in: photo) {
            XCTAssertGreaterThanOrEqual(face.score ?? -1, 0.9)
        }
        XCTAssertTrue(try HaarDetector().detect(in: photo).allSatisfy { $0.score == nil })
    }

    /// Both detectors agree on where the faces are (an independent check of box mapping,
    /// including the shrink-and-map-back path for photos larger than the working size).
    func testBoxesSurviveTheWorkingScale() throws {
        let photo = try loader.load(try SharedData.url("data/group-photos/test1.jpg"))
        let big = try photo.resized(width: photo.width * 4, height: photo.height * 4)  // 1800 px: shrunk to 1280
        let small = try HaarDetector().detect(in: photo).sorted { $0.x < $1.x }
        let large = try HaarDetector().detect(in: big).sorted { $0.x < $1.x }
        XCTAssertEqual(large.count, 2)
        for (s, l) in zip(small, large) {
            let scaled = FaceBox(x: s.x * 4, y: s.y * 4, width: s.width * 4, height: s.height * 4)
            XCTAssertGreaterThan(scaled.iou(l), 0.6, "\(scaled) vs \(l)")
        }
    }

    /// The `default` preset finds a face in at least 95% of LFW (one centred face per photo).
    func testDefaultPresetRecallOnLFW() throws {
        let files = PhotoFiles.collect([try SharedData.url("data/lfw-dev38")])
        XCTAssertGreaterThan(files.count, 700)
        let detector = try HaarDetector(preset: .default)
        var found = 0
        for url in files where try !detector.detect(in: loader.load(url)).isEmpty { found += 1 }
        let rate = Double(found) / Double(files.count)
        print("Haar default: a face in \(found)/\(files.count) LFW photos (\(String(format: "%.1f", rate * 100))%)")
        XCTAssertGreaterThanOrEqual(rate, 0.95)
    }

    func testPresetsMatchTheWriteUpAndOurChoice() {
        let original = HaarPreset.original.parameters(width: 4000, height: 3000)
        XCTAssertEqual(original, .init(scaleFactor: 1.1, minNeighbors: 1, minSize: 1, workScale: 1))
        let ours = HaarPreset.default.parameters(width: 4000, height: 3000)
        XCTAssertEqual(ours.workScale, 0.32, accuracy: 1e-9)
        XCTAssertEqual(ours.minSize, 38)  // 4% of the 960 px short side at working scale
        XCTAssertEqual(HaarPreset.default.parameters(width: 250, height: 250).minSize, 20)
    }

    func testTinyAndEmptyImagesGiveNoFacesNotErrors() throws {
        let yunet = try YuNetDetector(modelPath: try SharedData.yunetModel)
        let tiny = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 255, 255, 255])
        XCTAssertEqual(try yunet.detect(in: tiny), [])
        XCTAssertEqual(try HaarDetector(preset: .original).detect(in: tiny), [])
        XCTAssertEqual(try HaarDetector().detect(in: RGBImage(width: 0, height: 0, pixels: [])), [])
    }

    func testMissingModelFilesGiveClearErrors() {
        XCTAssertThrowsError(try HaarDetector(cascadePath: "/nonexistent/cascade.xml")) {
            XCTAssertTrue("\($0)".contains("opencv-data"), "\($0)")
        }
        XCTAssertThrowsError(try YuNetDetector(modelPath: "/nonexistent/yunet.onnx")) {
            XCTAssertTrue("\($0)".contains("not found"), "\($0)")
        }
    }

    func testNotAModelFileIsRefused() throws {
        let bogus = try temporaryFolder(self).appendingPathComponent("bogus.onnx")
        try Data("nope".utf8).write(to: bogus)
        XCTAssertThrowsError(try YuNetDetector(modelPath: bogus.path)) {
            XCTAssertTrue("\($0)".contains("is not a usable YuNet model"), "\($0)")
        }
    }

    func testFakeDetectorAnswersFromItsClosure() throws {
        let fake = FakeFaceDetector { image in [FaceBox(x: 0, y: 0, width: image.width, height: image.height)] }
        XCTAssertEqual(try fake.detect(in: RGBImage(width: 3, height: 2, pixels: .init(repeating: 0, count: 18))),
                       [FaceBox(x: 0, y: 0, width: 3, height: 2)])
    }

    func testCropClampsToTheImage() {
        let image = TestImages.gradient(width: 10, height: 8)
        let crop = image.cropped(to: FaceBox(x: 7, y: -2, width: 6, height: 5))
        XCTAssertEqual(crop.width, 3)
        XCTAssertEqual(crop.height, 3)
        XCTAssertTrue(crop[0, 0] == image[7, 0])
        XCTAssertEqual(image.cropped(to: FaceBox(x: 20, y: 20, width: 5, height: 5)).width, 0)
    }
}
