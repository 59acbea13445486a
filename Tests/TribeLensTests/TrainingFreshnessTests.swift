@testable import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// When the faces or results the training panel keeps for the session went stale, and what it
/// says then.
final class TrainingFreshnessTests: XCTestCase {
    let roster = Roster(id: "stars", name: "Stars", groups: [], members: [Roster.Member(id: "bill", ja: "ビル", romaji: "Bill", groups: [])])
    let box = FaceBox(x: 1, y: 2, width: 30, height: 30, score: nil)

    func folder(_ files: [String: Int64], folders: [String] = ["Bill"]) -> PhotoFolderSnapshot {
        PhotoFolderSnapshot(root: "/p", folders: folders, files: files.mapValues { PhotoFolderSnapshot.File(size: $0, modified: 1) })
    }

    func basis(folder: PhotoFolderSnapshot?) -> TrainingFreshness.Basis {
        TrainingFreshness.Basis(photoRoot: "/p", roster: roster, detector: "yunet", folder: folder, time: Date(timeIntervalSince1970: 0))
    }

    func testNothingChangedIsFresh() {
        let snapshot = folder(["Bill/a.jpg": 10])
        let now = TrainingFreshness.Current(photoRoot: "/p", roster: roster, detector: "yunet", folder: .some(snapshot))
        XCTAssertEqual(TrainingFreshness.analysisReasons(basis(folder: snapshot), now: now, review: nil, store: nil), [])
        XCTAssertNil(TrainingFreshness.facesText([], since: Date()))
        // Not looked at yet: nothing is claimed about the photos.
        let unknown = TrainingFreshness.Current(photoRoot: "/p", roster: roster, detector: nil, folder: nil)
        XCTAssertEqual(TrainingFreshness.analysisReasons(basis(folder: snapshot), now: unknown, review: nil, store: nil), [])
    }

    func testInputsThatChanged() {
        let snapshot = folder(["Bill/a.jpg": 10, "Bill/b.jpg": 20])
        let changedFolder = folder(["Bill/a.jpg": 11, "Bill/c.jpg": 5, "Bill/d.jpg": 5], folders: ["Bill", "Al"])
        var other = roster
        other.name = "Others"
        other.id = "others"
        var edited = roster
        edited.members[0].romaji = "Bill C"
        let reasons = TrainingFreshness.analysisReasons(
            basis(folder: snapshot), now: .init(photoRoot: "/p", roster: edited, detector: "haar-default-v2", folder: .some(changedFolder)),
            review: nil, store: nil)
        var changes = PhotoFolderSnapshot.Changes()
        changes.added = 2; changes.removed = 1; changes.modified = 1; changes.foldersAdded = ["Al"]
        XCTAssertEqual(reasons, [.rosterChanged, .otherDetector, .photosChanged(changes)])
        XCTAssertEqual(TrainingFreshness.phrases(reasons),
                       ["the roster file changed", "faces would now be found by another detector", "2 photos added", "1 photo removed",
                        "1 photo replaced", "new folder “Al”"])
        XCTAssertEqual(TrainingFreshness.analysisReasons(basis(folder: snapshot), now: .init(photoRoot: "/p", roster: other, detector: nil, folder: nil),
                                                         review: nil, store: nil), [.otherRoster(name: "Others")])
        // Another folder: nothing else is compared.
        XCTAssertEqual(TrainingFreshness.analysisReasons(basis(folder: snapshot), now: .init(photoRoot: "/q", roster: other, detector: "x", folder: .some(nil)),
                                                         review: nil, store: nil), [.otherFolder])
        XCTAssertEqual(TrainingFreshness.analysisReasons(basis(folder: snapshot), now: .init(photoRoot: "/p", roster: roster, detector: nil, folder: .some(nil)),
                                                         review: nil, store: nil), [.folderUnreadable])
        let text = TrainingFreshness.facesText([.photosChanged(changes)], since: Date(timeIntervalSince1970: 0)) ?? ""
        XCTAssertTrue(text.hasPrefix("These faces were found at "), text)
        XCTAssertTrue(text.contains("Since then: 2 photos added; 1 photo removed; 1 photo replaced; new folder “Al”. Find Faces again"), text)
    }

    func testDecisionsMadeElsewhereOrAfterTheRun() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("freshness-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        var store = try CurationStore(storage: DatasetStorage(cacheRoot: home.appendingPathComponent("c"), dataRoot: home.appendingPathComponent("d")))
        let a = CropID(photoHash: "a", box: box), b = CropID(photoHash: "b", box: box)
        func item(_ crop: CropID, _ decision: CurationStore.Decision?) -> CurationQueue.Item {
            CurationQueue.Item(crop: crop, photo: "Bill/\(crop.photoHash).jpg", member: "bill", box: box, cropIndex: 0, contentHash: crop.photoHash,
                               decision: decision, flags: [], outlierScore: nil)
        }
        let review = [CurationQueue.MemberQueue(member: "bill", items: [item(a, .reject), item(b, nil)])]
        let now = TrainingFreshness.Current(photoRoot: "/p", roster: roster, detector: "yunet", folder: nil)
        store.set(.reject, for: a)
        XCTAssertEqual(TrainingFreshness.analysisReasons(basis(folder: nil), now: now, review: review, store: store), [])
        // The photo window said "not this member" about b: the review does not show it.
        store.set(.reject, for: b)
        XCTAssertEqual(TrainingFreshness.analysisReasons(basis(folder: nil), now: now, review: review, store: store), [.decisionsElsewhere(1)])

        // A run that read {a: reject}: b's decision and a change of a's came after it.
        let run = TrainingFreshness.runReasons(basis(folder: nil), decisions: [a: .reject], now: now, store: store)
        XCTAssertEqual(run, [.decisionsSince(1)])
        store.set(.accept, for: a)
        XCTAssertEqual(TrainingFreshness.runReasons(basis(folder: nil), decisions: [a: .reject], now: now, store: store), [.decisionsSince(2)])
        XCTAssertEqual(TrainingFreshness.phrases([.decisionsSince(2), .decisionsElsewhere(1)]),
                       ["2 review decisions changed", "1 face corrected in the photo window"])
        let text = TrainingFreshness.resultsText([.decisionsSince(2)], since: Date()) ?? ""
        XCTAssertTrue(text.hasPrefix("These results are from the run at ") && text.hasSuffix("Train again to include the changes."), text)
    }
}
