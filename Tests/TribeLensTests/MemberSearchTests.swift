import FaceKit
import XCTest
@testable import TribeLens

/// Issue 15, item 7: "Someone Else…"'s type-to-find.
final class MemberSearchTests: XCTestCase {
    static let roster = Roster(
        id: "t", name: "Test", groups: [Roster.Group(id: "exile", name: "EXILE", short: "EXILE")],
        members: [Roster.Member(id: "takahiro", ja: "タカヒロ", romaji: "Takahiro", groups: ["exile"]),
                  Roster.Member(id: "naoki", ja: "小林直己", romaji: "Naoki Kobayashi", groups: ["exile"]),
                  Roster.Member(id: "ryuji", ja: "今市隆二", romaji: "Ryūji Imaichi", groups: ["exile"]),
                  Roster.Member(id: "akira", ja: "AKIRA", romaji: "Akira", groups: ["exile"])])
    static let directory = MemberDirectory(classes: ["takahiro", "naoki", "ryuji", "akira"], roster: roster)

    func ids(_ search: MemberSearch, _ query: String) -> [String] { search.matches(query).map(\.id) }

    func testTheListIsSortedByTheShownNameWithoutTheOffered() {
        let search = MemberSearch(directory: Self.directory, script: .romaji, except: ["naoki"])
        XCTAssertEqual(search.members.map(\.name), ["Akira", "Ryūji Imaichi", "Takahiro"])
        XCTAssertEqual(ids(search, ""), ["akira", "ryuji", "takahiro"], "an empty query lists everyone")
        XCTAssertEqual(ids(search, "   "), ["akira", "ryuji", "takahiro"])
        XCTAssertEqual(ids(search, "nao"), [], "the offered member is not listed")
    }

    func testCaseAccentsWidthAndSpacesDoNotMatter() {
        let search = MemberSearch(directory: Self.directory, script: .romaji, except: [])
        XCTAssertEqual(ids(search, "TAKA"), ["takahiro"])
        XCTAssertEqual(ids(search, "ryuji"), ["ryuji"], "ū is u")
        XCTAssertEqual(ids(search, "ＡＫＩ"), ["akira"], "full-width letters")
        XCTAssertEqual(ids(search, "naokikoba"), ["naoki"], "without the space")
        XCTAssertEqual(ids(search, "i"), ["akira", "naoki", "ryuji", "takahiro"])
        XCTAssertEqual(ids(search, "zz"), [])
    }

    func testJapaneseNamesAndKanaMatchWhicheverScriptIsShown() {
        let romaji = MemberSearch(directory: Self.directory, script: .romaji, except: [])
        XCTAssertEqual(ids(romaji, "小林"), ["naoki"], "the Japanese name, with romaji shown")
        XCTAssertEqual(ids(romaji, "たかひろ"), ["takahiro"], "hiragana finds katakana")
        let japanese = MemberSearch(directory: Self.directory, script: .japanese, except: [])
        XCTAssertEqual(japanese.members.map(\.name).first, "AKIRA")
        XCTAssertEqual(ids(japanese, "imaichi"), ["ryuji"], "romaji, with Japanese shown")
        XCTAssertEqual(ids(japanese, "ryuji"), ["ryuji"], "and the id")
    }
}
