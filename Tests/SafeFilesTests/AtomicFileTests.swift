import Foundation
import SafeFiles
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class AtomicFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tl-safefiles-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        chmod(folder.path, 0o755)
        try? FileManager.default.removeItem(at: folder)
    }

    private func names(_ url: URL? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (url ?? folder).path).sorted()
    }

    private func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    private func mode(_ url: URL) -> mode_t {
        var info = stat()
        return stat(url.path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    private struct ProducerFailure: Error, Equatable {}

    // MARK: Success

    func testWriteCreatesThenReplacesTheContentAndLeavesNoTemporaryFile() throws {
        let target = folder.appendingPathComponent("settings.ini")
        try AtomicFile.write(Data("old".utf8), to: target)
        XCTAssertEqual(try text(target), "old")
        try AtomicFile.write(Data("new content".utf8), to: target)
        XCTAssertEqual(try text(target), "new content")
        try AtomicFile.write(Data(), to: target)
        XCTAssertEqual(try Data(contentsOf: target), Data())
        XCTAssertEqual(try names(), ["settings.ini"])
    }

    func testACacheWriteWithoutFlushingReplacesTheSameWay() throws {
        let target = folder.appendingPathComponent("cache.bin")
        try AtomicFile.write(Data("old".utf8), to: target, durable: false)
        try AtomicFile.write(Data(repeating: 7, count: 3_000_000), to: target, durable: false)
        XCTAssertEqual(try Data(contentsOf: target), Data(repeating: 7, count: 3_000_000))
        XCTAssertEqual(try names(), ["cache.bin"])
    }

    func testMissingFoldersAreCreatedOnlyWhenAsked() throws {
        let target = folder.appendingPathComponent("a/b/c/manifest.json")
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: target)) { error in
            let error = error as! SafeFileError
            XCTAssertEqual(error.step, .missingFolder)
            XCTAssertEqual(error.reason, "the folder does not exist")
            XCTAssertEqual("\(error)", "cannot write \(target.path): the folder \(self.folder.path)/a/b/c does not exist")
        }
        XCTAssertEqual(try names(), [])
        try AtomicFile.write(Data("x".utf8), to: target, createFolder: true)
        XCTAssertEqual(try text(target), "x")
        XCTAssertEqual(try names(target.deletingLastPathComponent()), ["manifest.json"])
    }

    func testANewFileFollowsTheUmaskAndAReplacedOneKeepsItsPermissions() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let target = folder.appendingPathComponent("approved.json")
        try AtomicFile.write(Data("1".utf8), to: target)
        XCTAssertEqual(mode(target), 0o644)
        chmod(target.path, 0o600)
        try AtomicFile.write(Data("2".utf8), to: target)
        XCTAssertEqual(mode(target), 0o600)
        try AtomicFile.write(to: target) { try Data("3".utf8).write(to: $0) }
        XCTAssertEqual(mode(target), 0o600)
        XCTAssertEqual(try text(target), "3")
    }

    func testAVeryLongFileNameStillGetsATemporaryFile() throws {
        let target = folder.appendingPathComponent(String(repeating: "é", count: 120) + ".json")  // 245 bytes
        try AtomicFile.write(Data("x".utf8), to: target)
        XCTAssertEqual(try text(target), "x")
        XCTAssertEqual(try names(), [target.lastPathComponent])
    }

    func testAProducerWritesTheTemporaryFileByPathInChunks() throws {
        let target = folder.appendingPathComponent("weights.h5")
        try AtomicFile.write(Data("old".utf8), to: target)
        var given: URL?
        try AtomicFile.write(to: target) { temporary in
            given = temporary
            XCTAssertEqual(temporary.deletingLastPathComponent().path, self.folder.path, "same folder: the rename stays atomic")
            XCTAssertTrue(temporary.lastPathComponent.hasPrefix("."), "hidden while it is written")
            XCTAssertEqual(try Data(contentsOf: temporary), Data(), "handed over empty")
            XCTAssertEqual(try text(target), "old", "the target is untouched meanwhile")
            let handle = try FileHandle(forWritingTo: temporary)
            for chunk in 0..<64 { try handle.write(contentsOf: Data(repeating: UInt8(chunk), count: 4096)) }
            try handle.close()
        }
        let expected = (0..<64).reduce(into: Data()) { $0.append(Data(repeating: UInt8($1), count: 4096)) }
        XCTAssertEqual(try Data(contentsOf: target), expected)
        XCTAssertFalse(FileManager.default.fileExists(atPath: given!.path))
        XCTAssertEqual(try names(), ["weights.h5"])
    }

    func testAProducerThatReplacesItsFileIsPublishedToo() throws {
        let target = folder.appendingPathComponent("replaced.bin")
        try AtomicFile.write(to: target) { temporary in
            try FileManager.default.removeItem(at: temporary)
            try Data("made anew".utf8).write(to: temporary)
        }
        XCTAssertEqual(try text(target), "made anew")
        XCTAssertEqual(try names(), ["replaced.bin"])
    }

    func testConcurrentWritersLeaveOneWholeVersion() throws {
        let target = folder.appendingPathComponent("shared.bin")
        let versions = (0..<8).map { Data(repeating: UInt8($0), count: 200_000) }
        DispatchQueue.concurrentPerform(iterations: 32) { i in
            do { try AtomicFile.write(versions[i % 8], to: target, durable: i % 2 == 0) } catch { XCTFail("\(error)") }
        }
        XCTAssertTrue(versions.contains(try Data(contentsOf: target)))
        XCTAssertEqual(try names(), ["shared.bin"])
    }

    // MARK: Failures: old content intact, no temporary file left

    func testAFailingProducerLeavesTheOldContentAndNoTemporaryFile() throws {
        let target = folder.appendingPathComponent("model.h5")
        try AtomicFile.write(Data("old".utf8), to: target)
        XCTAssertThrowsError(try AtomicFile.write(to: target) { temporary in
            try Data("half of a new fi".utf8).write(to: temporary)
            throw ProducerFailure()
        }) { error in
            XCTAssertEqual(error as? ProducerFailure, ProducerFailure(), "the producer's error comes back unchanged")
        }
        XCTAssertEqual(try text(target), "old")
        XCTAssertEqual(try names(), ["model.h5"])
    }

    func testAFailedRenameLeavesTheTargetAndNoTemporaryFile() throws {
        // A folder with something in it cannot be replaced by a file: the last step fails.
        let target = folder.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("inside"))
        XCTAssertThrowsError(try AtomicFile.write(Data("new".utf8), to: target)) { error in
            let error = error as! SafeFileError
            XCTAssertEqual(error.step, .rename)
            XCTAssertEqual(error.code, EISDIR)
            XCTAssertEqual(error.path, target.path)
        }
        XCTAssertEqual(try text(target.appendingPathComponent("inside")), "keep")
        XCTAssertEqual(try names(), ["taken"])
    }

    func testAnUnwritableFolderFailsWithTheSystemsReasonAndWritesNothing() throws {
        let target = folder.appendingPathComponent("locked.json")
        try AtomicFile.write(Data("old".utf8), to: target)
        chmod(folder.path, 0o555)
        // Root ignores permissions: then /sys, which refuses new files.
        let locked = access(folder.path, W_OK) != 0 ? folder! : URL(fileURLWithPath: "/sys", isDirectory: true)
        guard FileManager.default.fileExists(atPath: locked.path) else { throw XCTSkip("no read-only folder to test with") }
        let lockedTarget = locked.appendingPathComponent("locked.json")
        XCTAssertThrowsError(try AtomicFile.write(Data("new".utf8), to: lockedTarget)) { error in
            let error = error as! SafeFileError
            XCTAssertEqual(error.step, .createTemporary)
            XCTAssertEqual(error.reason, "Permission denied")
            XCTAssertEqual("\(error)", "cannot write locked.json in \(locked.path): Permission denied")
            XCTAssertEqual(error.localizedDescription, "\(error)")
        }
        XCTAssertThrowsError(try AtomicFile.write(to: lockedTarget) { _ in XCTFail("never called") })
        chmod(folder.path, 0o755)
        XCTAssertEqual(try text(target), "old")
        XCTAssertEqual(try names(), ["locked.json"])
    }

    func testAPathWithoutAFileNameIsRefused() {
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: URL(fileURLWithPath: "/"))) { error in
            XCTAssertEqual((error as! SafeFileError).step, .noFileName)
        }
    }

    func testCreatingAFolderWhereAFileIsFails() throws {
        let file = folder.appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: file.appendingPathComponent("sub/target"), createFolder: true)) { error in
            XCTAssertEqual((error as! SafeFileError).step, .createFolder)
            XCTAssertEqual((error as! SafeFileError).code, ENOTDIR)
        }
        XCTAssertThrowsError(try AtomicFile.write(Data(), to: file.appendingPathComponent("target"))) { error in
            XCTAssertEqual((error as! SafeFileError).step, .missingFolder)
        }
        XCTAssertEqual(try names(), ["plain"])
    }

    // MARK: Publishing a file written elsewhere (a resumed download)

    func testPublishPutsAFinishedFileInPlace() throws {
        let target = folder.appendingPathComponent("vgg16.h5")
        let part = folder.appendingPathComponent("vgg16.h5.part")
        try AtomicFile.write(Data("old".utf8), to: target)
        // Appended in chunks over "several runs", as the fetcher's `.part` file is.
        _ = FileManager.default.createFile(atPath: part.path, contents: Data("first ".utf8))
        let handle = try FileHandle(forWritingTo: part)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("second".utf8))
        try handle.close()
        try AtomicFile.publish(part, as: target)
        XCTAssertEqual(try text(target), "first second")
        XCTAssertEqual(try names(), ["vgg16.h5"])
    }

    func testAFailedPublishKeepsBothFiles() throws {
        let target = folder.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("inside"))
        let part = folder.appendingPathComponent("download.part")
        try Data("done".utf8).write(to: part)
        XCTAssertThrowsError(try AtomicFile.publish(part, as: target)) { error in
            XCTAssertEqual((error as! SafeFileError).step, .rename)
        }
        XCTAssertEqual(try text(part), "done", "kept for a retry")
        XCTAssertThrowsError(try AtomicFile.publish(folder.appendingPathComponent("missing.part"), as: target)) { error in
            XCTAssertEqual((error as! SafeFileError).step, .sync)
            XCTAssertEqual((error as! SafeFileError).code, ENOENT)
        }
        XCTAssertEqual(try names(), ["download.part", "taken"])
    }
}
