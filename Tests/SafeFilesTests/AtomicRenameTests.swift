import Foundation
import SafeFiles
import XCTest

final class AtomicRenameTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tl-rename-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func makeFolder(_ name: String, holding content: String) throws -> URL {
        let url = folder.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        try Data(content.utf8).write(to: url.appendingPathComponent("model.json"))
        FileSync.syncTree(url)
        return url
    }

    func testExchangeSwapsTwoFolders() throws {
        let a = try makeFolder("a", holding: "new")
        let b = try makeFolder("b", holding: "old")
        guard AtomicRename.exchange(a, b) else { throw XCTSkip("no RENAME_EXCHANGE on this system") }
        XCTAssertEqual(try String(contentsOf: b.appendingPathComponent("model.json"), encoding: .utf8), "new")
        XCTAssertEqual(try String(contentsOf: a.appendingPathComponent("model.json"), encoding: .utf8), "old")
    }

    func testRenameMovesAndNamesBothPathsWhenItFails() throws {
        let a = try makeFolder("a", holding: "x")
        let moved = folder.appendingPathComponent("moved", isDirectory: true)
        try AtomicRename.rename(a, to: moved)
        XCTAssertFalse(FileManager.default.fileExists(atPath: a.path))
        XCTAssertThrowsError(try AtomicRename.rename(a, to: moved)) { error in
            XCTAssertEqual("\(error)", "cannot rename \(a.path) to \(moved.path): No such file or directory")
        }
    }
}
