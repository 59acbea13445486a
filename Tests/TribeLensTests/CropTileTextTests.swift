@testable import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// The curation tile's accessible name and tooltip, which the GUI tests rely on.
final class CropTileTextTests: XCTestCase {
    func testNamesFlagsAndDecisions() {
        let roster = Roster(id: "t", name: "T", groups: [Roster.Group(id: "g", name: "G")],
                            members: [Roster.Member(id: "bill", ja: "ビル", romaji: "Bill Clinton", groups: ["g"]),
                                      Roster.Member(id: "al", ja: "アル", romaji: "Al Gore", groups: ["g"])])
        let directory = MemberDirectory(classes: ["bill", "al"], roster: roster)
        let box = FaceBox(x: 1, y: 2, width: 30, height: 30, score: nil)
        var item = CurationQueue.Item(crop: CropID(photoHash: "h", box: box), photo: "Bill/b.jpg", member: "bill", box: box, cropIndex: 0,
                                      contentHash: "h", decision: .reject, flags: [.rejected, .severalFaces], outlierScore: 0.3)
        XCTAssertEqual(CropTileText(item: item, position: 3, directory: directory, script: .romaji).accessibleName,
                       "Crop 3 of Bill Clinton, several faces, rejected")
        item.decision = .relabel(memberID: "al"); item.flags = [.relabelled, .outlier, .exactDuplicate]
        let text = CropTileText(item: item, position: 1, directory: directory, script: .japanese)
        XCTAssertEqual(text.accessibleName, "Crop 1 of ビル, exact duplicate, unlike the member's other crops, relabelled to アル")
        XCTAssertEqual(text.tooltip, "Bill/b.jpg\nexact duplicate\nunlike the member's other crops\nrelabelled to アル")
        let empty = CurationQueue.Item(crop: nil, photo: "Bill/none.jpg", member: "bill", box: nil, cropIndex: nil,
                                       contentHash: "x", decision: nil, flags: [.noFace], outlierScore: nil)
        XCTAssertEqual(CropTileText(item: empty, position: 2, directory: directory, script: .romaji).accessibleName, "Photo 2 of Bill Clinton, no face")
        // Held for review says it is not trained on (docs/training-panel.md, the Review page).
        item.decision = nil; item.flags = [.heldForReview]; item.heldUnlessKept = true
        XCTAssertEqual(CropTileText(item: item, position: 4, directory: directory, script: .romaji).accessibleName,
                       "Crop 4 of Bill Clinton, held for review, not trained on unless kept")
    }

    func testBadgesAndMemberRows() {
        let roster = Roster(id: "t", name: "T", groups: [Roster.Group(id: "g", name: "G")],
                            members: [Roster.Member(id: "bill", ja: "ビル", romaji: "Bill Clinton", groups: ["g"]),
                                      Roster.Member(id: "al", ja: "アル", romaji: "Al Gore", groups: ["g"])])
        let directory = MemberDirectory(classes: ["bill", "al"], roster: roster)
        let box = FaceBox(x: 1, y: 2, width: 30, height: 30, score: nil)
        func item(_ flags: Set<CurationQueue.Flag>, _ decision: CurationStore.Decision?) -> CurationQueue.Item {
            CurationQueue.Item(crop: CropID(photoHash: "h", box: box), photo: "Bill/b.jpg", member: "bill", box: box, cropIndex: 0,
                               contentHash: "h", decision: decision, flags: flags, outlierScore: nil)
        }
        func text(_ flags: Set<CurationQueue.Flag>, _ decision: CurationStore.Decision?) -> CropTileText {
            CropTileText(item: item(flags, decision), position: 1, directory: directory, script: .romaji)
        }
        // The most serious flag names the badge; decisions are not counted among the flags.
        XCTAssertEqual(text([.severalFaces, .outlier, .tinyFace], nil).flagBadge, "unusual +2")
        XCTAssertEqual(text([.rejected, .tinyFace], .reject).flagBadge, "tiny")
        XCTAssertNil(text([.rejected], .reject).flagBadge)
        XCTAssertNil(text([], nil).flagBadge)
        XCTAssertEqual(text([.heldForReview], nil).flagBadge, "held")
        XCTAssertEqual(text([.rejected], .reject).decisionBadge, "Rejected")
        XCTAssertEqual(text([.relabelled], .relabel(memberID: "al")).decisionBadge, "→ Al Gore")
        XCTAssertEqual(text([], .accept).decisionBadge, "Kept")
        XCTAssertNil(text([.heldForReview], nil).decisionBadge)
        XCTAssertEqual(text([], .accept).accessibleName, "Crop 1 of Bill Clinton, kept")

        // A member's row counts every item, the flagged ones and the rejected ones.
        var queue = CurationQueue.MemberQueue(member: "bill", items: [item([.outlier], nil), item([.rejected], .reject), item([], nil)])
        XCTAssertEqual(CropTileText.memberRow(queue, directory: directory, script: .romaji), "Bill Clinton — 3 crops, 2 flagged, 1 rejected")
        queue.items = [item([], nil)]
        XCTAssertEqual(CropTileText.memberRow(queue, directory: directory, script: .japanese), "ビル — 1 crop, 0 flagged, 0 rejected")
    }
}
