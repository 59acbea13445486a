import XCTest
@testable import FaceKit

final class KeyFileTests: XCTestCase {
    func testReadsGroupsKeysAndKeepsCommentsOnRewrite() throws {
        let text = """
            # written by hand
            [Display]
            name-display = romaji

            [Other]
            name-display=japanese
            future-key=kept\\svalue\\n2

            """
        let file = try KeyFile(parsing: text)
        XCTAssertEqual(file.value("Display", "name-display"), "romaji")
        XCTAssertEqual(file.value("Other", "name-display"), "japanese")
        XCTAssertEqual(file.value("Other", "future-key"), "kept value\n2")
        XCTAssertNil(file.value("Display", "future-key"))
        XCTAssertNil(file.value("Missing", "name-display"))
        // Unchanged content comes back as written, but for the spaces around "=" and a "\\s"
        // that is not needed inside a value.
        XCTAssertEqual(file.text, text.replacingOccurrences(of: " = ", with: "=")
            .replacingOccurrences(of: "kept\\svalue", with: "kept value"))
    }

    func testSetReplacesInPlaceAppendsToGroupAndCreatesGroups() throws {
        var file = try KeyFile(parsing: "[A]\nx=1\ny=2\n# note\n[B]\nz=3\n")
        file.set("A", "x", "10")
        file.set("A", "w", "4")
        file.set("C", "v", "5")
        XCTAssertEqual(file.text, "[A]\nx=10\ny=2\nw=4\n# note\n[B]\nz=3\n\n[C]\nv=5\n")
        XCTAssertEqual(try KeyFile(parsing: file.text), file)
    }

    func testEscapesRoundTrip() throws {
        var file = KeyFile()
        let values = [" leading", "trailing ", "back\\slash", "two\nlines", "tab\there", "写真 フォルダ", ""]
        for (index, value) in values.enumerated() { file.set("G", "k\(index)", value) }
        let reread = try KeyFile(parsing: file.text)
        for (index, value) in values.enumerated() { XCTAssertEqual(reread.value("G", "k\(index)"), value) }
        XCTAssertFalse(file.text.dropLast().contains("\n\n"), "values stay on one line each")
    }

    func testSyntaxErrorsNameTheLine() {
        XCTAssertThrowsError(try KeyFile(parsing: "[A]\nthis line has no equals\n", source: "s.ini")) {
            XCTAssertEqual("\($0)", "s.ini line 2: expected [Group], key=value or a # comment, found \"this line has no equals\"")
        }
        XCTAssertThrowsError(try KeyFile(parsing: "x=1\n[A]\n", source: "s.ini")) {
            XCTAssertEqual("\($0)", "s.ini line 1: \"x\" comes before any [Group]")
        }
        XCTAssertThrowsError(try KeyFile(parsing: "[A\n", source: "s.ini")) {
            XCTAssertEqual("\($0)", "s.ini line 1: a group header must look like [Name]")
        }
        XCTAssertThrowsError(try KeyFile(parsing: "[A]\n=1\n", source: "s.ini")) {
            XCTAssertEqual("\($0)", "s.ini line 2: a key is missing before \"=\"")
        }
    }
}
