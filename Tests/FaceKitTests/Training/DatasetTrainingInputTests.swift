import Foundation
import XCTest
import FaceKit

final class DatasetTrainingInputTests: XCTestCase {
    func testMemberGroupsUseGroupShortNames() {
        let roster = Roster(id: "r", name: "R",
                            groups: [Roster.Group(id: "exile", name: "EXILE"), Roster.Group(id: "jsb3", name: "三代目 J SOUL BROTHERS", short: "三代目")],
                            members: [Roster.Member(id: "naoto", ja: "NAOTO", romaji: "NAOTO", groups: ["exile", "jsb3"]),
                                      Roster.Member(id: "akira", ja: "AKIRA", romaji: "AKIRA", groups: ["exile"])])
        XCTAssertEqual(DatasetTrainingInput.memberGroups(roster), ["naoto": ["EXILE", "三代目"], "akira": ["EXILE"]])
    }

    func testRelabelToTheModelsClassOrderDropsUnknownMembers() throws {
        let base = try SyntheticFaces.make(classes: 3, perClass: 2, seed: 1) // labels 0,1,2,0,1,2
        let (samples, dropped) = try DatasetTrainingInput.relabel(base, from: ["a", "b", "c"], to: ["c", "a"])
        XCTAssertEqual(dropped, 2, "the two 'b' images")
        XCTAssertEqual(samples.labels, [1, 0, 1, 0])
        XCTAssertEqual(Array(samples.pixels.prefix(ImageLayout.bytes)), Array(base.pixels.prefix(ImageLayout.bytes)))
    }
}
