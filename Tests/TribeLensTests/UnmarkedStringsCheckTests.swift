import Foundation
import XCTest

/// `scripts/unmarked-strings.py`, the translation check's scan for text shown to users without
/// `L10n.tr`: it fails on unmarked strings, passes marked and non-text ones, and passes the app.
final class UnmarkedStringsCheckTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func check(_ folder: URL, allow: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/unmarked-strings.py").path]
            + (allow.map { ["--allow", $0.path] } ?? []) + [folder.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func folder(with source: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unmarked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try source.write(to: folder.appendingPathComponent("Page.swift"), atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    func testAnUnmarkedLabelFailsTheCheckAndNamesFileLineAndText() throws {
        let source = """
            func build() {
                let ok = gtk_label_new(L10n.tr("Marked text"))
                gtk_widget_set_tooltip_text(button, "Start training")
            }
            """
        let (status, output) = try check(try folder(with: source))
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.contains("Page.swift:3: gtk_widget_set_tooltip_text: \"Start training\""), output)
        XCTAssertFalse(output.contains("Marked text"), output)
    }

    func testOneWordInASetterAndASentenceAnywhereAreFound() throws {
        let source = """
            func build() {
                gtk_button_set_label(button, "Save")
                let summary = "Confusion matrix, \\(count) members"
                let style = Gtk.label(L10n.tr("Fine"), classes: ["dim-label", "heading"])
                Recognizer.log("model loaded in some seconds")
                let formatted = L10n.format("%d of %d photos", 1, 2)
            }
            """
        let (status, output) = try check(try folder(with: source))
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.contains(":2: gtk_button_set_label: \"Save\""), output)
        XCTAssertTrue(output.contains(":3: text: \"Confusion matrix, \\(count) members\""), output)
        XCTAssertTrue(output.contains(":6: text: \"%d of %d photos\""), "a format template must be marked: \(output)")
        XCTAssertFalse(output.contains("dim-label"), "style classes are not text: \(output)")
        XCTAssertFalse(output.contains("model loaded"), "log lines are not shown: \(output)")
    }

    func testMarkedPluralsMultiLineMessagesAndTheAllowListPass() throws {
        let source = """
            func build() {
                gtk_label_set_text(label, L10n.plural("%d face", "%d faces", n))
                let text = L10n.tr(
                    "A message on its own line, as long ones are written.")
                tl_accessible_set_description(bar, "Training progress")
                gtk_widget_set_tooltip_text(icon, "go-next-symbolic")
            }
            """
        let dir = try folder(with: source)
        let allow = dir.appendingPathComponent("allow.txt")
        try "# descriptions the tests find widgets by\nre:^Training progress$\n".write(to: allow, atomically: true, encoding: .utf8)
        XCTAssertEqual(try check(dir).status, 1, "without the allow-list the description is reported")
        let (status, output) = try check(dir, allow: allow)
        XCTAssertEqual(status, 0, output)
    }

    func testTheAppPasses() throws {
        let (status, output) = try check(root.appendingPathComponent("Sources/TribeLens"),
                                         allow: root.appendingPathComponent("scripts/unmarked-strings.allow"))
        XCTAssertEqual(status, 0, output)
    }
}
