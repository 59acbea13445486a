import SharedTestSupport
@testable import FaceKit
import Foundation
import XCTest

/// Issue 15, item 7: a rejection remembers why ("not a face", "not this member", "not in the
/// roster"), in curation.json next to the decision, and files written before the kind existed
/// still read.
final class CurationRejectionKindTests: XCTestCase {
    private let stranger = CropID(photoHash: String(repeating: "a", count: 64), box: FaceBox(x: 1, y: 2, width: 30, height: 40))
    private let wall = CropID(photoHash: String(repeating: "b", count: 64), box: FaceBox(x: 5, y: 6, width: 20, height: 20))
    private let relabelled = CropID(photoHash: String(repeating: "c", count: 64), box: FaceBox(x: 0, y: 0, width: 64, height: 64))

    func testKindsAreSavedAndReadBack() throws {
        let (home, storage) = try DatasetTestSupport.temporaryHome("rejection-kind")
        defer { try? FileManager.default.removeItem(at: home) }
        var store = try CurationStore(storage: storage)
        store.set(.reject, for: stranger, kind: .stranger)
        store.set(.reject, for: wall, kind: .notAFace)
        store.set(.relabel(memberID: "akira"), for: relabelled, kind: .stranger)  // a kind only goes with a rejection
        try store.save()

        // The decisions exactly as before; the kinds beside them.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: storage.curationFile)) as! [String: Any]
        let decisions = json["decisions"] as! [String: [String: String]]
        XCTAssertEqual(decisions[stranger.description], ["action": "reject"])
        XCTAssertEqual(decisions[wall.description], ["action": "reject"])
        XCTAssertEqual(decisions[relabelled.description], ["action": "relabel", "member": "akira"])
        XCTAssertEqual(json["kinds"] as? [String: String], [stranger.description: "stranger", wall.description: "not-a-face"])

        let again = try CurationStore(storage: storage)
        XCTAssertEqual(again.decision(for: stranger), .reject)
        XCTAssertEqual(again.rejectionKind(for: stranger), .stranger)
        XCTAssertEqual(again.rejectionKind(for: wall), .notAFace)
        XCTAssertNil(again.rejectionKind(for: relabelled))
        XCTAssertEqual(again.strangers, [stranger])
    }

    func testChangingTheDecisionDropsTheKind() throws {
        let (home, storage) = try DatasetTestSupport.temporaryHome("rejection-kind-change")
        defer { try? FileManager.default.removeItem(at: home) }
        var store = try CurationStore(storage: storage)
        store.set(.reject, for: stranger, kind: .stranger)
        store.set(.accept, for: stranger)
        XCTAssertNil(store.rejectionKind(for: stranger))
        store.set(.reject, for: stranger, kind: .stranger)
        store.set(nil, for: stranger)
        XCTAssertNil(store.rejectionKind(for: stranger))
        XCTAssertEqual(store.strangers, [])
        try store.save()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: storage.curationFile)) as! [String: Any]
        XCTAssertNil(json["kinds"], "no kinds: the file is as it was before kinds existed")
    }

    func testAFileWithoutKindsStillReads() throws {
        let (home, storage) = try DatasetTestSupport.temporaryHome("rejection-kind-old")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: storage.curationFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let old = "{\"version\": 1, \"decisions\": {\"\(wall.description)\": {\"action\": \"reject\"}, "
            + "\"\(relabelled.description)\": {\"action\": \"relabel\", \"member\": \"akira\"}}}"
        try Data(old.utf8).write(to: storage.curationFile)
        let store = try CurationStore(storage: storage)
        XCTAssertEqual(store.decision(for: wall), .reject)
        XCTAssertNil(store.rejectionKind(for: wall))
        XCTAssertEqual(store.decision(for: relabelled), .relabel(memberID: "akira"))
    }

    func testAnUnknownKindIsRefusedWithTheFileNamed() throws {
        let (home, storage) = try DatasetTestSupport.temporaryHome("rejection-kind-bad")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: storage.curationFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{\"version\": 1, \"decisions\": {\"\(wall.description)\": {\"action\": \"reject\"}}, \"kinds\": {\"\(wall.description)\": \"ghost\"}}".utf8)
            .write(to: storage.curationFile)
        XCTAssertThrowsError(try CurationStore(storage: storage)) {
            XCTAssertTrue("\($0)".contains(storage.curationFile.path), "\($0)")
        }
    }
}
