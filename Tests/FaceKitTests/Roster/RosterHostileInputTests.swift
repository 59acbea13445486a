import Foundation
import XCTest
@testable import FaceKit

/// Rosters that Foundation's decoder would take but the documented checks refuse (issue 16):
/// duplicate keys, names that fold to nothing or hide control characters, ids of hyphens only,
/// and sizes that cost seconds. Each refusal names the key.
final class RosterHostileInputTests: XCTestCase {
    private func error(for json: String) -> String? {
        error(for: Data(json.utf8))
    }

    private func error(for data: Data) -> String? {
        do {
            _ = try RosterLoader.parse(data, source: "bad.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func roster(members: String) -> String {
        #"{"schema": 1, "id": "t", "name": "T", "groups": [{"id": "a", "name": "A"}], "members": \#(members)}"#
    }

    private func member(_ fields: String) -> String { "[{\(fields)}]" }

    func testDuplicateKeysAreRefusedWhereverTheyAre() {
        XCTAssertEqual(error(for: roster(members: member(#""id":"akira","id":"atsushi","ja":"A","romaji":"A","groups":[]"#))),
                       #"bad.json: members[0].id: duplicate key "id" (JSON readers disagree on which value counts)"#)
        XCTAssertEqual(error(for: #"{"schema": 1, "schema": 1, "id": "t", "name": "T", "groups": [], "members": []}"#),
                       #"bad.json: schema: duplicate key "schema" (JSON readers disagree on which value counts)"#)
        // The same key spelled with an escape is the same key.
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","\u0069d":"n","ja":"A","romaji":"A","groups":[]"#))),
                       #"bad.json: members[0].id: duplicate key "id" (JSON readers disagree on which value counts)"#)
        XCTAssertEqual(error(for: roster(members: #"[{"id":"m","ja":"A","romaji":"A","groups":[]}, {"id":"n","ja":"B","romaji":"B","groups":[],"ja":"C"}]"#)),
                       #"bad.json: members[1].ja: duplicate key "ja" (JSON readers disagree on which value counts)"#)
        // Equal keys in different objects, and equal values, are fine.
        XCTAssertNil(error(for: roster(members: #"[{"id":"m","ja":"A","romaji":"A","groups":["a"]}, {"id":"n","ja":"B","romaji":"B","groups":["a"]}]"#)))
    }

    func testNamesThatFoldToNothingOrHideControlCharacters() {
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"・","romaji":"M","groups":[]"#))),
                       #"bad.json: members[0].ja: name "・" is only separators (folder matching ignores spaces, '_', '-', '.' and '・')"#)
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"M","romaji":"_-.","groups":[]"#))),
                       #"bad.json: members[0].romaji: name "_-." is only separators (folder matching ignores spaces, '_', '-', '.' and '・')"#)
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"M","romaji":"M","aliases":["ok", ""],"groups":[]"#))),
                       "bad.json: members[0].aliases[1]: empty name")
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"A\u0000KIRA","romaji":"M","groups":[]"#))),
                       "bad.json: members[0].ja: the name contains the control character U+0000")
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"M","romaji":"M\nN","groups":[]"#))),
                       "bad.json: members[0].romaji: the name contains the control character U+000A")
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"M","romaji":"M","groups":[]"#)).replacingOccurrences(of: #""name": "A""#, with: #""name": "A", "short": "\u0007""#)),
                       "bad.json: groups[0].short: the name contains the control character U+0007")
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"M","romaji":"M","groups":[]"#)).replacingOccurrences(of: #""name": "T""#, with: #""name": "T\u0000""#)),
                       "bad.json: name: the name contains the control character U+0000")
        // Separators inside a real name are fine: they are what folding is for.
        XCTAssertNil(error(for: roster(members: member(#""id":"m","ja":"関口・メンディー","romaji":"Mandy-Sekiguchi","aliases":["M.S."],"groups":[]"#))))
    }

    func testIDsOfHyphensOnlyAreRefused() {
        XCTAssertEqual(error(for: roster(members: member(#""id":"-","ja":"M","romaji":"M","groups":[]"#))),
                       #"bad.json: members[0].id: "-" is not a valid id (it needs a letter or a digit)"#)
        XCTAssertEqual(error(for: #"{"schema": 1, "id": "--", "name": "T", "groups": [], "members": []}"#),
                       #"bad.json: id: "--" is not a valid id (it needs a letter or a digit)"#)
        XCTAssertNil(error(for: roster(members: member(#""id":"m-1","ja":"M","romaji":"M","groups":[]"#))))
    }

    func testLongStringsDeepNestingAndLargeFilesAreRefusedQuickly() throws {
        let clock = ContinuousClock()
        let long = String(repeating: "x", count: RosterLoader.maximumStringBytes + 1)
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","ja":"\#(long)","romaji":"M","groups":[]"#))),
                       "bad.json: members[0].ja: a string longer than 1024 bytes")
        let fits = String(repeating: "x", count: RosterLoader.maximumStringBytes)
        XCTAssertNil(error(for: roster(members: member(#""id":"m","ja":"\#(fits)","romaji":"M","groups":[]"#))))
        XCTAssertEqual(error(for: roster(members: member(#""id":"m","\#(long)":1,"ja":"M","romaji":"M","groups":[]"#))),
                       "bad.json: members[0]: a string longer than 1024 bytes")

        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertEqual(error(for: roster(members: deep)), "bad.json: members" + String(repeating: "[0]", count: 31) + ": nested deeper than 32 levels")

        // The issue's 24 MB name: refused by size at once, not after ten seconds of folding.
        let huge = roster(members: member(#""id":"m","ja":"\#(String(repeating: "x", count: 24 << 20))","romaji":"M","groups":[]"#))
        let elapsed = clock.measure {
            XCTAssertEqual(error(for: huge), "bad.json: the file is larger than 8388608 bytes, the most a roster may be")
        }
        XCTAssertLessThan(elapsed, .seconds(2))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("huge.json")
        try Data(huge.utf8).write(to: file)
        XCTAssertThrowsError(try RosterLoader.load(contentsOf: file)) {
            XCTAssertEqual("\($0)", "\(file.path): the file is larger than 8388608 bytes, the most a roster may be")
        }
        // A device is read only as far as the limit.
        XCTAssertThrowsError(try RosterLoader.load(contentsOf: URL(fileURLWithPath: "/dev/zero"))) {
            XCTAssertEqual("\($0)", "/dev/zero: the file is larger than 8388608 bytes, the most a roster may be")
        }
        // A named pipe with no writer reads as empty at once (it used to block forever).
        let fifo = folder.appendingPathComponent("pipe.json")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try RosterLoader.load(contentsOf: fifo)) {
            XCTAssertTrue("\($0)".hasPrefix("pipe.json: not valid JSON"), "\($0)")
        }
    }

    func testScannerLeavesSyntaxErrorsToTheDecoderAndFollowsEscapes() {
        let scan = StrictJSONScan(maximumStringBytes: 16, maximumDepth: 4)
        XCTAssertNil(scan.check(Data(#"{"a": 1, "b": [1, 2, {"a": 2}]"#.utf8)), "a syntax error is not the scanner's")
        XCTAssertNil(scan.check(Data(#"{"a": "x\"y\\", "b": "\ud83d\ude00"}"#.utf8)))
        XCTAssertEqual(scan.check(Data(#"{"a": [true, null, {"k\"": 1, "k\u0022": 2}]}"#.utf8))?.description,
                       #"a[2].k": duplicate key "k"" (JSON readers disagree on which value counts)"#)
        XCTAssertEqual(scan.check(Data("\u{FEFF}{\"a\": [[[[1]]]]}".utf8))?.description, "a[0][0][0]: nested deeper than 4 levels")
        XCTAssertEqual(scan.check(Data(#"["0123456789abcdef", "0123456789abcdefg"]"#.utf8))?.description,
                       "[1]: a string longer than 16 bytes")
    }

    func testShippedAndBenchRostersStillLoad() throws {
        XCTAssertEqual(try RosterLoader.ldh().members.count, 24)
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let lfw = try RosterLoader.load(contentsOf: checkout.appendingPathComponent("bench/rosters/lfw-dev38.json"))
        XCTAssertEqual(lfw.members.count, 38)
    }
}
