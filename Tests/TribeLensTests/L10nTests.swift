import CGtk
import FaceKit
import Foundation
import XCTest
@testable import TribeLens
#if canImport(Glibc)
import Glibc
#endif

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

    /// The "who is in this photo" texts come from the Japanese catalog when it is bound: a
    /// string built from a plain literal (never reaching gettext) stays English and fails here.
    func testRecognitionTextsComeFromTheJapaneseCatalog() throws {
        try withJapaneseCatalog {
            XCTAssertEqual(L10n.tr("Drop Photos Here"), "ここに写真をドロップ", "the catalog is bound")
            let directory = RecognitionTests.directory
            let label = RecognitionTests.label("naoki", 0.95, groups: ["EXILE"])
            let group = FaceAnnotation(index: 1, label: RecognitionTests.label(nil, 0.9, groups: ["EXILE"], group: "EXILE"),
                                       correction: nil, directory: directory, script: .japanese)
            XCTAssertEqual(group.title, "不明")
            XCTAssertEqual(group.accessibleName, "顔 2：不明, おそらく EXILE, 90%")
            XCTAssertEqual(FaceAnnotation(index: 2, label: RecognitionTests.label(nil, 0.3), correction: nil,
                                          directory: directory, script: .japanese).accessibleName, "顔 3：不明")
            XCTAssertEqual(FaceAnnotation(index: 0, label: nil, correction: nil, directory: nil, script: .japanese).accessibleName,
                           "顔 1")
            XCTAssertEqual(FaceAnnotation(index: 0, label: label, correction: .notAFace, directory: directory,
                                          script: .japanese).accessibleName, "顔 1：顔ではない, 手動ラベル")
            XCTAssertEqual(FaceAnnotation(index: 0, label: label, correction: .notThisMember("naoki"), directory: directory,
                                          script: .japanese).title, "小林直己 ではない")
            XCTAssertEqual(FaceAnnotation(index: 0, label: label, correction: .notThisMember(nil), directory: directory,
                                          script: .japanese).title, "このメンバーではない")
            XCTAssertEqual(FaceAnnotation(index: 3, label: label, correction: .member("ryuji"), directory: directory,
                                          script: .japanese).accessibleName, "顔 4：今市隆二, 手動ラベル")
            // Issue 15, items 6 and 7: the stranger, the undo message, the zoom pill's name.
            XCTAssertEqual(FaceAnnotation(index: 0, label: label, correction: .stranger, directory: directory,
                                          script: .japanese).accessibleName, "顔 1：名簿にない人, 手動ラベル")
            XCTAssertEqual(L10n.format(L10n.tr("Face %d: your correction was undone"), 2), "顔 2 の修正を取り消しました")
            XCTAssertEqual(L10n.format(L10n.tr("Zoom %s, fitted to the window; click for 100%%"), "37%"),
                           "ズーム 37%（ウィンドウに合わせています）。クリックで 100%")

            let epoch = Date(timeIntervalSince1970: 0)
            XCTAssertEqual(ModelSummary(name: "x", backend: "b", accuracy: nil, createdAt: epoch).line, "x, b, 未評価, 1970-01-01")
            XCTAssertEqual(ModelSummary(name: "m4", backend: "scratch-cnn", accuracy: 0.874, createdAt: epoch).detailText,
                           "scratch-cnn · テスト精度 87% · 1970-01-01")

            // The command lines stay verbatim under the translated sentence.
            let hint = Recognizer.trainingHint.components(separatedBy: "\n")
            XCTAssertEqual(hint.count, 3)
            XCTAssertTrue(hint[0].hasPrefix("学習済みのモデルがまだありません。"), hint[0])
            XCTAssertEqual(hint[1], "tribelens-cli dataset build --photos FOLDER --name NAME")
            XCTAssertEqual(hint[2], "tribelens-cli train --dataset NAME --backend scratch-cnn --model NAME --activate")

            // Japanese templates that reorder or number their arguments.
            XCTAssertEqual(L10n.format(L10n.tr("Face %d saved as “%s”; the next training run uses it"), 2, "今市隆二"),
                           "顔 2 を「今市隆二」として保存しました。次の学習で使われます")
            XCTAssertEqual(L10n.format(L10n.tr("Candidate %d: %s, %s"), 1, "小林直己", "87%"), "候補 1：小林直己、87%")
            XCTAssertEqual(L10n.format(L10n.tr("could not write %s: %s"), "/tmp/a.png", "disk full"),
                           "/tmp/a.png に書き込めませんでした：disk full")
            XCTAssertEqual(L10n.format(L10n.tr("the photo is too large to export (%dx%d)"), 40000, 30000),
                           "写真が大きすぎて書き出せません（40000×30000）")
            XCTAssertEqual(L10n.format(L10n.tr("Use model %s, active"), "m4"), "モデル m4 を使う（使用中）")
        }
        // Unbound again: the English source text, as the GUI tests read it.
        XCTAssertEqual(FaceAnnotation(index: 1, label: RecognitionTests.label(nil, 0.9, groups: ["EXILE"], group: "EXILE"),
                                      correction: nil, directory: RecognitionTests.directory, script: .romaji).accessibleName,
                       "Face 2: unknown, probably EXILE, 90%")
    }

    /// Runs `body` with `po/ja.po` compiled (msgfmt, as `scripts/translations.sh build` does) and
    /// bound in the Japanese locale, then puts locale, binding and `LANGUAGE` back, so the other
    /// tests in this process keep reading English.
    private func withJapaneseCatalog(_ body: () throws -> Void) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let po = repository.appendingPathComponent("po/ja.po")
        guard FileManager.default.fileExists(atPath: po.path) else { throw XCTSkip("po/ja.po not found at \(po.path)") }
        guard let msgfmt = ["/usr/bin/msgfmt", "/usr/local/bin/msgfmt"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("msgfmt is missing (apt-get install gettext)")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("l10n-ja-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let messages = root.appendingPathComponent("ja/LC_MESSAGES")
        try FileManager.default.createDirectory(at: messages, withIntermediateDirectories: true)
        let compile = Process()
        compile.executableURL = URL(fileURLWithPath: msgfmt)
        compile.arguments = ["--check", "-o", messages.appendingPathComponent("\(L10n.domain).mo").path, po.path]
        try compile.run()
        compile.waitUntilExit()
        XCTAssertEqual(compile.terminationStatus, 0, "msgfmt --check po/ja.po")

        let oldLocale = setlocale(LC_MESSAGES, nil).map { String(cString: $0) } ?? "C"
        let oldDirectory = bindtextdomain(L10n.domain, nil).map { String(cString: $0) }
        let oldLanguage = getenv("LANGUAGE").map { String(cString: $0) }
        defer {
            if let oldLanguage { setenv("LANGUAGE", oldLanguage, 1) } else { unsetenv("LANGUAGE") }
            setlocale(LC_MESSAGES, oldLocale)
            if let oldDirectory { bindtextdomain(L10n.domain, oldDirectory) }
        }
        bindtextdomain(L10n.domain, root.path)
        bind_textdomain_codeset(L10n.domain, "UTF-8")
        // gettext reads LANGUAGE first, in any locale but plain C; ja_JP.UTF-8 may not be
        // generated on a bare machine, C.UTF-8 always exists.
        setenv("LANGUAGE", "ja", 1)
        guard setlocale(LC_MESSAGES, "ja_JP.UTF-8") != nil || setlocale(LC_MESSAGES, "C.UTF-8") != nil else {
            throw XCTSkip("neither ja_JP.UTF-8 nor C.UTF-8 is available")
        }
        try body()
    }
}
