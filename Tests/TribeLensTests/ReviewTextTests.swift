@testable import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// The Review page's toolbar texts, the roster-mismatch message and what a tile says about
/// training.
final class ReviewTextTests: XCTestCase {
    let roster = Roster(id: "t", name: "T", groups: [],
                        members: [Roster.Member(id: "bill", ja: "ビル", romaji: "Bill Clinton", groups: []),
                                  Roster.Member(id: "al", ja: "アル", romaji: "Al Gore", groups: [])])
    var directory: MemberDirectory { MemberDirectory(classes: ["bill", "al"], roster: roster) }
    let box = FaceBox(x: 1, y: 2, width: 30, height: 30, score: nil)

    func item(_ hash: String, _ decision: CurationStore.Decision?, flags: Set<CurationQueue.Flag> = [], held: Bool = false,
              copyOf: String? = nil, face: Bool = true) -> CurationQueue.Item {
        var item = CurationQueue.Item(crop: face ? CropID(photoHash: hash, box: box) : nil, photo: "Bill/\(hash).jpg", member: "bill",
                                      box: face ? box : nil, cropIndex: face ? 0 : nil, contentHash: hash, decision: decision,
                                      flags: flags, outlierScore: nil)
        item.heldUnlessKept = held
        item.copyOf = copyOf
        return item
    }

    func testMemberSummarySaysWhatWillBeTrainedOn() {
        let member = CurationQueue.MemberQueue(member: "bill", items: [
            item("a", nil), item("b", nil, flags: [.severalFaces, .heldForReview], held: true), item("c", .reject, flags: [.rejected]),
            item("d", nil, flags: [.exactDuplicate], copyOf: "Bill/e.jpg"), item("e", .accept), item("f", nil, flags: [.noFace], face: false),
            item("g", .relabel(memberID: "al"), flags: [.relabelled]),
        ])
        XCTAssertEqual(ReviewText.memberSummary(member),
                       "3 of 6 crops will be trained on · 1 held for review (not trained on unless kept) · 1 rejected · 1 copy of another photo · 1 photo without a face")
        XCTAssertEqual(CurationFilter.notTrained.count(in: member), 4)
        XCTAssertEqual(ReviewText.filterTitle(.notTrained), "Not Trained On")
        XCTAssertEqual(ReviewText.filterDescription(.flagged, count: 1), "1 item with a reason to look at it")
        XCTAssertEqual(ReviewText.selection(0), "Nothing selected")
        XCTAssertEqual(ReviewText.selection(3), "3 selected")
    }

    func testUndoAndRedoSayWhatTheyTakeBack() {
        var history = CurationHistory()
        XCTAssertEqual(ReviewText.undo(history, directory: directory, script: .romaji), "Nothing to undo")
        let crops = ["a", "b"].map { CropID(photoHash: $0, box: box) }
        history.record(.init(decision: .reject, changes: crops.map { .init(crop: $0, before: nil, after: .reject) }))
        XCTAssertEqual(ReviewText.undo(history, directory: directory, script: .romaji), "Undo: reject 2 crops")
        history.record(.init(decision: .relabel(memberID: "al"), changes: [.init(crop: crops[0], before: .reject, after: .relabel(memberID: "al"))]))
        XCTAssertEqual(ReviewText.undo(history, directory: directory, script: .japanese), "Undo: relabel 1 crop as アル")
        _ = history.undo()
        XCTAssertEqual(ReviewText.redo(history, directory: directory, script: .romaji), "Redo: relabel 1 crop as Al Gore")
        XCTAssertEqual(ReviewText.step(.init(decision: .accept, changes: [.init(crop: crops[1], before: nil, after: .accept)]),
                                       directory: directory, script: .romaji), "keep 1 crop")
        XCTAssertEqual(ReviewText.step(.init(decision: nil, changes: []), directory: directory, script: .romaji), "forget the decisions on 0 crops")
    }

    func testTilesSayWhetherTheyAreTrainedOn() {
        func text(_ item: CurationQueue.Item) -> CropTileText { CropTileText(item: item, position: 2, directory: directory, script: .romaji) }
        let plain = text(item("a", nil))
        XCTAssertEqual(plain.accessibleName, "Crop 2 of Bill Clinton, trained on")
        XCTAssertTrue(plain.trained)
        XCTAssertNil(plain.fateBadge)
        let held = text(item("b", nil, flags: [.severalFaces, .heldForReview], held: true))
        XCTAssertEqual(held.accessibleName, "Crop 2 of Bill Clinton, several faces, held for review, not trained on unless kept")
        XCTAssertEqual(held.flagBadge, "group photo +1")
        XCTAssertEqual(held.fateBadge, "Not trained")
        XCTAssertFalse(held.trained)
        let kept = text(item("b", .accept, flags: [.severalFaces], held: true))
        XCTAssertEqual(kept.accessibleName, "Crop 2 of Bill Clinton, several faces, kept")
        XCTAssertTrue(kept.trained)
        XCTAssertEqual(kept.decisionBadge, "Kept")
        let copy = text(item("d", nil, flags: [.exactDuplicate], copyOf: "Bill/e.jpg"))
        XCTAssertEqual(copy.accessibleName, "Crop 2 of Bill Clinton, exact duplicate, not trained on: Bill/e.jpg has the same bytes and is")
        XCTAssertEqual(copy.fateBadge, "Copy: not trained")
        XCTAssertEqual(text(item("f", nil, flags: [.noFace], face: false)).accessibleName, "Photo 2 of Bill Clinton, no face")
        XCTAssertFalse(text(item("c", .reject, flags: [.rejected])).trained)
        XCTAssertEqual(text(item("c", .reject, flags: [.rejected])).subject, "Crop 2 of Bill Clinton")
    }

    func testRosterMismatchNamesTheFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mismatch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func mismatch(_ folders: [String]) throws -> RosterMismatch? {
            try? FileManager.default.removeItem(at: root)
            for folder in folders { try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true) }
            return RosterMismatch(try PhotoImport.scan(root: root, roster: roster))
        }
        let one = try XCTUnwrap(try mismatch(["Carol"]))
        XCTAssertEqual(RosterMismatchText.message(one, rosterName: "LDH"),
                       "Find Faces stopped: the folder “Carol” matches no member of the roster “LDH”. Choose the roster of this person above, or make a roster from the folder name.")
        let many = try XCTUnwrap(try mismatch((1...10).map { "P\($0)" }))
        XCTAssertEqual(RosterMismatchText.folderList(many, limit: 3), "“P1”, “P10”, “P2” and 7 more")
        XCTAssertTrue(RosterMismatchText.message(many, rosterName: "LDH")
            .hasPrefix("Find Faces stopped: none of the 10 folders matches a member of the roster “LDH”: “P1”, “P10”, "))
        let partial = try XCTUnwrap(try mismatch(["Bill_Clinton", "Carol", "ダン"]))
        XCTAssertEqual(RosterMismatchText.message(partial, rosterName: "T"),
                       "Find Faces stopped: 2 of the 3 folders match no member of the roster “T”: “Carol”, “ダン”. Their photos would be left out.")
        XCTAssertNil(try mismatch(["Bill_Clinton", "Al Gore"]))
    }
}
