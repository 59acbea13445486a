import Foundation
import XCTest
import FaceKit

final class RosterTests: XCTestCase {
    // The write-up's group lists, transcribed from its introduction (EXILE 15, THE SECOND 6,
    // 三代目 7, GENERATIONS 7), with its stage names as written there.
    private let writeUpGroups: [String: [String]] = [
        "EXILE": ["EXILE ATSUSHI", "EXILE AKIRA", "EXILE TAKAHIRO", "橘ケンチ", "黒木啓司", "EXILE TETSUYA", "EXILE NESMITH",
                  "EXILE SHOKICHI", "EXILE NAOTO", "小林直己", "岩田剛典", "白濱亜嵐", "関口メンディー", "世界", "佐藤大樹"],
        "EXILE THE SECOND": ["橘ケンチ", "黒木啓司", "EXILE TETSUYA", "EXILE NESMITH", "EXILE SHOKICHI", "EXILE AKIRA"],
        "三代目 J SOUL BROTHERS from EXILE TRIBE": ["NAOTO", "小林直己", "ELLY", "山下健二郎", "岩田剛典", "今市隆二", "登坂広臣"],
        "GENERATIONS from EXILE TRIBE": ["白濱亜嵐", "片寄涼太", "数原龍友", "小森隼", "佐野玲於", "関口メンディー", "中務裕太"],
    ]

    // The write-up's `dic`: label -> [name, groups].
    private let writeUpDic: [(String, String)] = [
        ("AKIRA", "EXILE・EXILE THE SECOND"), ("ATSUSHI", "EXILE"), ("TAKAHIRO", "EXILE"), ("SHOKICHI", "EXILE・EXILE THE SECOND"),
        ("NESMITH", "EXILE・EXILE THE SECOND"), ("TETSUYA", "EXILE・EXILE THE SECOND"), ("NAOTO", "EXILE・三代目"), ("黒木啓司", "EXILE・EXILE THE SECOND"),
        ("橘ケンチ", "EXILE・EXILE THE SECOND"), ("小林直己", "EXILE・三代目"), ("佐藤大樹", "EXILE"), ("世界", "EXILE"),
        ("登坂広臣", "三代目"), ("今市隆二", "三代目"), ("ELLY", "三代目"), ("山下健二郎", "三代目"), ("岩田剛典", "EXILE・三代目"),
        ("白濱亜嵐", "EXILE・GENERATIONS"), ("数原龍友", "GENERATIONS"), ("片寄涼太", "GENERATIONS"), ("小森隼", "GENERATIONS"),
        ("中務裕太", "GENERATIONS"), ("佐野玲於", "GENERATIONS"), ("関口メンディー", "EXILE・GENERATIONS"),
    ]

    func testLDHRosterHas24MembersAnd4Groups() throws {
        let roster = try RosterLoader.ldh()
        XCTAssertEqual(roster.id, "ldh")
        XCTAssertEqual(roster.members.count, 24)
        XCTAssertEqual(roster.groups.count, 4)
        XCTAssertEqual(Set(roster.members.map(\.id)).count, 24)
    }

    func testLDHMembershipsEqualTheWriteUpsGroupLists() throws {
        let roster = try RosterLoader.ldh()
        for group in roster.groups {
            let listed = try XCTUnwrap(writeUpGroups[group.name], "group \(group.name) is not in the write-up")
            let expected = Set(try listed.map { name -> String in
                try XCTUnwrap(roster.member(matchingFolder: name), "\(name) matches no member").id
            })
            let actual = Set(roster.members.filter { $0.groups.contains(group.id) }.map(\.id))
            XCTAssertEqual(actual, expected, group.name)
            XCTAssertEqual(actual.count, listed.count, group.name)
        }
        XCTAssertEqual(Set(roster.groups.map(\.name)), Set(writeUpGroups.keys))
    }

    func testLDHOrderAndLabelsEqualTheWriteUpsDic() throws {
        let roster = try RosterLoader.ldh()
        XCTAssertEqual(roster.members.count, writeUpDic.count)
        for (label, (name, groups)) in writeUpDic.enumerated() {
            let member = roster.members[label]
            XCTAssertEqual(member.ja, name, "label \(label)")
            XCTAssertEqual(roster.groupLabel(for: member), groups, "label \(label) \(name)")
        }
        let akira = try XCTUnwrap(roster.member(id: "akira"))
        XCTAssertEqual(roster.groups(of: akira).map(\.name), ["EXILE", "EXILE THE SECOND"])
        let alan = try XCTUnwrap(roster.member(matchingFolder: "白濱亜嵐"))
        XCTAssertEqual(roster.groups(of: alan).map(\.name), ["EXILE", "GENERATIONS from EXILE TRIBE"])
    }

    func testFolderNamesMatchIgnoringCaseWidthAndSeparators() throws {
        let roster = try RosterLoader.ldh()
        XCTAssertEqual(roster.member(matchingFolder: "akira")?.id, "akira")
        XCTAssertEqual(roster.member(matchingFolder: "ＡＫＩＲＡ")?.id, "akira")          // full width
        XCTAssertEqual(roster.member(matchingFolder: "exile_akira")?.id, "akira")
        XCTAssertEqual(roster.member(matchingFolder: "alan-shirahama")?.id, "alan-shirahama")
        XCTAssertEqual(roster.member(matchingFolder: "ALAN SHIRAHAMA")?.id, "alan-shirahama")
        XCTAssertEqual(roster.member(matchingFolder: "関口ﾒﾝﾃﾞｨｰ")?.id, "mandy-sekiguchi")  // half-width katakana
        XCTAssertEqual(roster.member(matchingFolder: "橘 ケンチ")?.id, "kenchi-tachibana")
        XCTAssertNil(roster.member(matchingFolder: "Kenji"))
        XCTAssertNil(roster.member(matchingFolder: "___"))
    }

    // MARK: - Broken rosters

    private func error(for json: String) -> String? {
        do {
            _ = try RosterLoader.parse(Data(json.utf8), source: "bad.json")
            return nil
        } catch let error as RosterError {
            return error.description
        } catch {
            return "unexpected error type: \(error)"
        }
    }

    private let groups = #"[{"id": "a", "name": "Group A"}, {"id": "b", "name": "Group B"}]"#

    private func roster(groups: String? = nil, members: String) -> String {
        #"{"schema": 1, "id": "t", "name": "T", "groups": \#(groups ?? self.groups), "members": \#(members)}"#
    }

    func testUnknownGroupNamesMemberIndexAndGroup() {
        let json = roster(members: #"[{"id": "m1", "ja": "一", "romaji": "Ichi", "groups": ["a"]}, {"id": "m2", "ja": "二", "romaji": "Ni", "groups": ["b", "c"]}]"#)
        XCTAssertEqual(error(for: json), #"bad.json: members[1].groups[1]: unknown group "c" (known: a, b)"#)
    }

    func testDuplicateIDs() {
        let members = #"[{"id": "m1", "ja": "一", "romaji": "Ichi", "groups": []}, {"id": "m1", "ja": "二", "romaji": "Ni", "groups": []}]"#
        XCTAssertEqual(error(for: roster(members: members)), #"bad.json: members[1].id: duplicate member id "m1""#)
        let dupGroups = #"[{"id": "a", "name": "A"}, {"id": "a", "name": "A again"}]"#
        XCTAssertEqual(error(for: roster(groups: dupGroups, members: #"[{"id": "m", "ja": "一", "romaji": "I", "groups": []}]"#)),
                       #"bad.json: groups[1].id: duplicate group id "a""#)
    }

    func testEmptyRosterAndMissingKeys() {
        XCTAssertEqual(error(for: roster(members: "[]")), "bad.json: members: the roster has no members")
        XCTAssertEqual(error(for: roster(members: #"[{"id": "m1", "ja": "一", "groups": []}]"#)),
                       #"bad.json: members[0].romaji: missing key "romaji""#)
        XCTAssertEqual(error(for: #"{"schema": 1, "id": "t", "name": "T", "groups": []}"#), #"bad.json: members: missing key "members""#)
        XCTAssertEqual(error(for: roster(members: #"[{"id": "m1", "ja": "一", "romaji": "I", "groups": "a"}]"#)),
                       "bad.json: members[0].groups: expected a list")
    }

    func testAmbiguousNamesBadIDsAndSchema() {
        let members = #"[{"id": "m1", "ja": "一", "romaji": "Same Name", "groups": []}, {"id": "m2", "ja": "二", "romaji": "same_name", "groups": []}]"#
        XCTAssertEqual(error(for: roster(members: members)), #"bad.json: members[1]: name "samename" is also a name of member "m1""#)
        XCTAssertEqual(error(for: roster(members: #"[{"id": "Bad ID", "ja": "一", "romaji": "I", "groups": []}]"#)),
                       #"bad.json: members[0].id: "Bad ID" is not a valid id (use a-z, 0-9 and '-')"#)
        XCTAssertEqual(error(for: roster(members: #"[{"id": "m", "ja": " ", "romaji": "I", "groups": []}]"#)),
                       "bad.json: members[0].ja: empty name")
        XCTAssertEqual(error(for: #"{"schema": 2, "id": "t", "name": "T", "groups": [], "members": []}"#),
                       "bad.json: schema: unsupported schema version 2 (this TribeLens reads 1)")
    }

    func testSyntaxErrorNamesTheLine() throws {
        let json = "{\n  \"schema\": 1,\n  \"id\": \"t\",\n  \"name\": \"T\"\n  \"groups\": []\n}"
        let message = try XCTUnwrap(error(for: json))
        XCTAssertTrue(message.hasPrefix("bad.json: line 5"), message)
        XCTAssertTrue(message.contains("not valid JSON"), message)
    }

    func testMissingFileAndUnknownID() throws {
        XCTAssertThrowsError(try RosterLoader.load(contentsOf: URL(fileURLWithPath: "/nonexistent/r.json"))) { error in
            XCTAssertEqual("\(error)", "/nonexistent/r.json: cannot read the file (no such file)")
        }
        XCTAssertThrowsError(try RosterLoader.load(idOrPath: "no-such-roster", storage: nil)) { error in
            XCTAssertTrue("\(error)".hasPrefix("no-such-roster: no roster with this id"), "\(error)")
        }
    }

    func testUserRosterFoundByIDInDataHome() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let storage = DatasetStorage(cacheRoot: home.appendingPathComponent("cache"), dataRoot: home.appendingPathComponent("data"))
        try FileManager.default.createDirectory(at: storage.rostersDirectory, withIntermediateDirectories: true)
        try Data(roster(members: #"[{"id": "m1", "ja": "一", "romaji": "Ichi", "groups": ["a"]}]"#).utf8)
            .write(to: storage.rostersDirectory.appendingPathComponent("mine.json"))
        let loaded = try RosterLoader.load(idOrPath: "mine", storage: storage)
        XCTAssertEqual(loaded.members.map(\.id), ["m1"])
    }
}
