import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// The Review page's logic on CurationQueueTests' generated photo root: what the next run
/// trains on (`CropFate`, checked against `DatasetBuilder` itself), the filters, and undo.
extension CurationQueueTests {
    /// Every crop's fate is what the dataset builder does with it: trained iff it is a sample
    /// (same photo, same member), with and without stored decisions.
    func testFateAgreesWithTheDatasetBuilder() throws {
        for decisions: [(Int, CurationStore.Decision)] in [[], [(1, .reject), (2, .relabel(memberID: "bob")), (3, .accept)]] {
            let (queue, analysis) = try makeQueue(decisions: decisions)
            var checked = 0
            for item in queue.members.flatMap(\.items) where item.crop != nil {
                let sample = analysis.samples.first { $0.crop == item.crop && $0.photo == item.photo }
                switch item.fate {
                case .trained(let member):
                    XCTAssertEqual(sample?.member, member, "\(item.photo)")
                default:
                    XCTAssertNil(sample, "\(item.photo) is trained on but its fate is \(item.fate)")
                }
                checked += 1
            }
            XCTAssertEqual(checked, 19)  // Alice's 12 crops and Bob's 7
        }
        let (queue, _) = try makeQueue()
        XCTAssertEqual(try item(queue, "alice", "empty.png").fate, .noFace)
        // Sorted paths put a0-copy.png first: it is trained on, a0.png is the copy.
        XCTAssertEqual(try item(queue, "alice", "a0.png").fate, .duplicate(of: "Alice/a0-copy.png"))
        XCTAssertTrue(try item(queue, "alice", "a0-copy.png").fate.isTrained)
        let pair = [try item(queue, "alice", "pair.png", index: 0), try item(queue, "alice", "pair.png", index: 1)]
        XCTAssertEqual(pair.map(\.fate), [.trained(member: "alice"), .held])
        XCTAssertEqual(queue.members[0].heldCount, 1)
        XCTAssertEqual(queue.members[0].trainedCount, 10)  // 12 crops - the copy - the held face
    }

    func testKeepingAHeldCropAndTakingItBack() throws {
        var (queue, _) = try makeQueue()
        let held = try item(queue, "alice", "pair.png", index: 1)
        let crop = try XCTUnwrap(held.crop)
        queue.apply(.accept, to: crop)
        XCTAssertEqual(try item(queue, "alice", "pair.png", index: 1).fate, .trained(member: "alice"))
        queue.apply(.relabel(memberID: "bob"), to: crop)
        XCTAssertEqual(try item(queue, "alice", "pair.png", index: 1).fate, .trained(member: "bob"))
        // No decision again (an undo): held, and flagged as held, as a rebuild would show it.
        queue.apply(nil, to: crop)
        let back = try item(queue, "alice", "pair.png", index: 1)
        XCTAssertEqual(back, held)
        XCTAssertEqual(back.fate, .held)
    }

    func testFiltersShowWhatTheySay() throws {
        var (queue, _) = try makeQueue()
        let alice = queue.members[0]
        XCTAssertEqual(CurationFilter.all.count(in: alice), 13)
        // Flagged: every item with a reason to look (no face, copy, odd, pair x2, near dup a1).
        let flagged = CurationFilter.flagged.items(of: alice)
        XCTAssertEqual(flagged.map(\.item.photo), alice.items.filter(\.isFlagged).map(\.photo))
        XCTAssertEqual(flagged.count, alice.flagged)
        XCTAssertEqual(flagged.map(\.position), Array(1...flagged.count), "flagged items come first; positions are in the whole queue")
        // Not trained on: the photo without a face, the copy and the held face.
        XCTAssertEqual(Set(CurationFilter.notTrained.items(of: alice).map { "\($0.item.photo)#\($0.item.cropIndex ?? -1)" }),
                       ["Alice/empty.png#-1", "Alice/a0.png#0", "Alice/pair.png#1"])
        XCTAssertEqual(CurationFilter.rejected.count(in: alice), 0)
        XCTAssertEqual(CurationFilter.kept.count(in: alice), 0)

        let a3 = try XCTUnwrap(try item(queue, "alice", "a3.png").crop), a4 = try XCTUnwrap(try item(queue, "alice", "a4.png").crop)
        queue.apply(.reject, to: a3)
        queue.apply(.accept, to: a4)
        let after = queue.members[0]
        XCTAssertEqual(CurationFilter.rejected.items(of: after).map(\.item.photo), ["Alice/a3.png"])
        XCTAssertEqual(CurationFilter.kept.items(of: after).map(\.item.photo), ["Alice/a4.png"])
        XCTAssertEqual(CurationFilter.notTrained.count(in: after), 4)
        // The rejected clean crop is not "flagged": the user's own decision is not a reason to look.
        XCTAssertFalse(try item(queue, "alice", "a3.png").isFlagged)
        let position = try XCTUnwrap(after.items.firstIndex { $0.photo == "Alice/a3.png" }) + 1
        XCTAssertEqual(CurationFilter.rejected.items(of: after).first?.position, position)
    }

    func testRejectAllFlaggedThenUndoAndRedo() throws {
        var (queue, _) = try makeQueue()
        let original = queue.members
        var history = CurationHistory()
        XCTAssertFalse(history.canUndo)
        // Undecided flagged crops, once each (a0 and a0-copy share a crop id).
        let crops = queue.members[0].undecidedFlaggedCrops
        XCTAssertEqual(crops.count, Set(crops).count)
        XCTAssertEqual(crops.count, 5)  // a0 (with its copy), odd, pair x2, a1
        let step = try XCTUnwrap(CurationHistory.step(.reject, crops: crops + crops, in: queue))
        XCTAssertEqual(step.changes.count, crops.count, "repeats are one change")
        XCTAssertTrue(step.changes.allSatisfy { $0.before == nil && $0.after == .reject })
        queue.apply(step)
        history.record(step)
        XCTAssertEqual(queue.members[0].rejected, 6)  // a0 and its copy, odd, pair x2, a1
        XCTAssertTrue(queue.members[0].undecidedFlaggedCrops.isEmpty)
        XCTAssertNil(CurationHistory.step(.reject, crops: crops, in: queue), "nothing would change")

        // A second step on one of them, then undo both: exactly the queue as it was.
        let one = try XCTUnwrap(CurationHistory.step(.accept, crops: [crops[0]], in: queue))
        XCTAssertEqual(one.changes, [CurationHistory.Change(crop: crops[0], before: .reject, after: .accept)])
        queue.apply(one)
        history.record(one)
        queue.apply(try XCTUnwrap(history.undo()).inverse)
        XCTAssertEqual(try XCTUnwrap(queue.members[0].items.first { $0.crop == crops[0] }).decision, .reject)
        queue.apply(try XCTUnwrap(history.undo()).inverse)
        XCTAssertEqual(queue.members.map(\.items), original.map(\.items))
        XCTAssertNil(history.undo())
        XCTAssertTrue(history.canRedo)

        // Redo puts the rejections back; a new step then clears what could be redone.
        queue.apply(try XCTUnwrap(history.redo()))
        XCTAssertEqual(queue.members[0].rejected, 6)
        history.record(try XCTUnwrap(CurationHistory.step(nil, crops: [crops[1]], in: queue)))
        XCTAssertFalse(history.canRedo)
        XCTAssertEqual(history.undoSteps.count, 2)
    }

    func testHistoryKeepsTheLastSteps() {
        var history = CurationHistory()
        let crop = CropID(photoHash: "h", box: FaceBox(x: 0, y: 0, width: 1, height: 1, score: nil))
        for i in 0..<(CurationHistory.limit + 5) {
            history.record(CurationHistory.Step(decision: i % 2 == 0 ? .reject : .accept,
                                                changes: [CurationHistory.Change(crop: crop, before: nil, after: .reject)]))
        }
        XCTAssertEqual(history.undoSteps.count, CurationHistory.limit)
        history.clear()
        XCTAssertFalse(history.canUndo || history.canRedo)
    }
}
