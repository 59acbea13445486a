import XCTest
@testable import FaceKit

/// The open-set threshold from validation similarities, against hand-worked cases.
final class OpenSetThresholdTests: XCTestCase {
    typealias Face = (label: Int, own: Float, other: Float)

    /// Rows of 3 members; `own` on the face's member, `other` on the rest.
    func rows(_ faces: [Face]) -> [Float] {
        faces.flatMap { face in (0..<3).map { $0 == face.label ? face.own : face.other } }
    }

    /// `count` faces with genuine similarities start, start + 0.005, ... and impostors `other(i)`.
    func faces(_ count: Int, start: Double, other: (Int) -> Float) -> [Face] {
        (0..<count).map { i -> Face in (label: i % 3, own: Float(start + 0.005 * Double(i)), other: other(i)) }
    }

    func testHalfwayBetweenTheHighestImpostorAndTheGenuineQuantile() throws {
        // 50 faces: genuine 0.70...0.945, impostors at most 0.40; 2% of 50 faces: the quantile is the second lowest, 0.705.
        let set = faces(50, start: 0.70) { $0 == 7 ? 0.40 : 0.2 }
        let t = try XCTUnwrap(OpenSetThreshold.calibrate(similarities: rows(set), labels: set.map { $0.label }, classes: 3))
        XCTAssertEqual(t.similarity, (0.40 + 0.705) / 2, accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(t.highestImpostor), 0.40, accuracy: 1e-6)
        XCTAssertEqual(t.validationRejection, 0)
        XCTAssertEqual(t.validationFaces, 50)
    }

    func testOverlappingImpostorsKeepTheGenuineQuantileAndTheFloorHolds() throws {
        let overlap = faces(50, start: 0.60) { _ in 0.75 }
        let t = try XCTUnwrap(OpenSetThreshold.calibrate(similarities: rows(overlap), labels: overlap.map { $0.label }, classes: 3))
        XCTAssertEqual(t.similarity, 0.605 - 1e-6, accuracy: 1e-5, "the 2% quantile: the second lowest of 50 is index 1")
        let low = faces(10, start: 0.1) { _ in 0 }
        XCTAssertEqual(try XCTUnwrap(OpenSetThreshold.calibrate(similarities: rows(low), labels: low.map { $0.label }, classes: 3)).similarity,
                       OpenSetThreshold.floor)
        XCTAssertNil(OpenSetThreshold.calibrate(similarities: [0.5, 0.5], labels: [0], classes: 2 + 1))
    }
}
