import XCTest
@testable import TribeLens

final class L10nTests: XCTestCase {
    func testFormatFillsPlaceholdersInOrderAndByPosition() {
        XCTAssertEqual(L10n.format("%d of %d", 2, 5), "2 of 5")
        XCTAssertEqual(L10n.format("%2$d 件中 %1$d 件目", 2, 5), "5 件中 2 件目")
        XCTAssertEqual(L10n.format("%s: %d%%", "a.jpg", 50), "a.jpg: 50%")
        XCTAssertEqual(L10n.format("no placeholders"), "no placeholders")
        XCTAssertEqual(L10n.format("%d and %d", 1), "1 and ", "a missing argument is left empty, not a crash")
        XCTAssertEqual(L10n.format("100% sure %x", 1), "100% sure %x", "unknown directives stay as written")
    }

    func testUntranslatedTextIsTheEnglishSource() {
        // No catalog is bound in the test process: gettext hands back the source text.
        XCTAssertEqual(L10n.tr("Drop Photos Here"), "Drop Photos Here")
        XCTAssertEqual(L10n.plural("%d face", "%d faces", 1), "%d face")
        XCTAssertEqual(L10n.plural("%d face", "%d faces", 3), "%d faces")
    }

    func testLocaleDirectoryPrefersTheEnvironmentThenNextToTheExecutableThenThePrefix() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("l10n-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let bin = root.appendingPathComponent("bin")
        let executable = bin.appendingPathComponent("tribelens")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        XCTAssertNil(L10n.localeDirectory(environment: [:], executable: executable), "no catalog anywhere")

        let installed = root.appendingPathComponent("share/locale/ja/LC_MESSAGES")
        try FileManager.default.createDirectory(at: installed, withIntermediateDirectories: true)
        try Data().write(to: installed.appendingPathComponent("tribelens.mo"))
        XCTAssertEqual(L10n.localeDirectory(environment: [:], executable: executable), root.appendingPathComponent("share/locale").path)

        let beside = bin.appendingPathComponent("locale/ja/LC_MESSAGES")
        try FileManager.default.createDirectory(at: beside, withIntermediateDirectories: true)
        try Data().write(to: beside.appendingPathComponent("tribelens.mo"))
        XCTAssertEqual(L10n.localeDirectory(environment: [:], executable: executable), bin.appendingPathComponent("locale").path)

        XCTAssertEqual(L10n.localeDirectory(environment: ["TRIBELENS_LOCALEDIR": "/elsewhere"], executable: executable), "/elsewhere")
        XCTAssertEqual(L10n.localeDirectory(environment: ["TRIBELENS_LOCALEDIR": "relative"], executable: executable),
                       bin.appendingPathComponent("locale").path, "relative values are ignored")
    }
}
