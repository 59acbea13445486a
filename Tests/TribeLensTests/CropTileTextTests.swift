import FaceKit
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
        item.decision = nil; item.flags = [.heldForReview]
        XCTAssertEqual(CropTileText(item: item, position: 4, directory: directory, script: .romaji).accessibleName, "Crop 4 of Bill Clinton, held for review")
    }
}
