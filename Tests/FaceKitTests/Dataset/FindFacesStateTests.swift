import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// Find Faces can be cancelled (what was found stays cached), and a photo folder's snapshot
/// tells when faces found earlier went stale.
final class FindFacesStateTests: XCTestCase {
    private func photoRoot(_ count: Int) throws -> (URL, DatasetStorage, [URL]) {
        let (home, storage) = try DatasetTestSupport.temporaryHome("find-faces")
        addTeardownBlock { try? FileManager.default.removeItem(at: home) }
        let folder = home.appendingPathComponent("photos/Alice", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try (0..<count).map { i -> URL in
            let url = folder.appendingPathComponent(String(format: "p%02d.png", i))
            try CurationQueueTests.face(seed: UInt64(i + 1)).write(to: url)
            return url
        }
        return (home.appendingPathComponent("photos"), storage, files)
    }

    func testCancelStopsExtractionAndKeepsWhatWasFound() throws {
        let (_, storage, files) = try photoRoot(8)
        let source = FaceSource.custom(cacheKey: "cancel-test", detector: CurationQueueTests.detector)
        let extractor = FaceExtractor(source: source, storage: storage, workers: 1)
        let flag = CancellationFlag()
        // Cancelled after the third photo: the worker finishes it and takes no other.
        XCTAssertThrowsError(try extractor.extract(files, progress: { done, _ in if done == 3 { flag.cancel() } }, isCancelled: { flag.isCancelled })) { error in
            XCTAssertEqual(error as? ExtractionCancelled, ExtractionCancelled(done: 3, total: 8))
        }
        let (results, statistics) = try extractor.extract(files)
        XCTAssertEqual(results.count, 8)
        XCTAssertEqual(statistics.fromCache, 3, "the photos done before Cancel are not searched again")

        // Cancelled before it starts: nothing is done.
        let early = CancellationFlag()
        early.cancel()
        XCTAssertThrowsError(try FaceExtractor(source: .custom(cacheKey: "cancel-test-2", detector: CurationQueueTests.detector),
                                               storage: storage, workers: 2).extract(files, isCancelled: { early.isCancelled })) { error in
            XCTAssertEqual((error as? ExtractionCancelled)?.done, 0)
        }
        // A flag set after the last photo changes nothing.
        let late = CancellationFlag()
        XCTAssertEqual(try extractor.extract(files, progress: { done, total in if done == total { late.cancel() } },
                                             isCancelled: { late.isCancelled }).results.count, 8)
    }

    func testBuilderPassesTheCancellationOn() throws {
        let (root, storage, _) = try photoRoot(4)
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(["Alice"]), storage: storage, preset: .recommended,
                                     source: .custom(cacheKey: "cancel-builder", detector: CurationQueueTests.detector))
        let flag = CancellationFlag()
        flag.cancel()
        XCTAssertThrowsError(try builder.analyse(photoRoot: root, isCancelled: { flag.isCancelled })) { XCTAssertTrue($0 is ExtractionCancelled) }
        XCTAssertEqual(try builder.analyse(photoRoot: root).photos.photos.count, 4)
    }

    func testSnapshotSaysWhatChanged() throws {
        let (root, _, files) = try photoRoot(3)
        let before = try XCTUnwrap(PhotoFolderSnapshot.take(root: root))
        XCTAssertEqual(before.folders, ["Alice"])
        XCTAssertEqual(before.files.keys.sorted(), ["Alice/p00.png", "Alice/p01.png", "Alice/p02.png"])
        XCTAssertTrue(try XCTUnwrap(PhotoFolderSnapshot.take(root: root)).changes(since: before).isEmpty)

        // Not photos, hidden files and loose files at the top do not count.
        try Data("notes".utf8).write(to: root.appendingPathComponent("Alice/notes.txt"))
        try Data("x".utf8).write(to: root.appendingPathComponent("Alice/.hidden.jpg"))
        try Data("x".utf8).write(to: root.appendingPathComponent("loose.jpg"))
        XCTAssertTrue(try XCTUnwrap(PhotoFolderSnapshot.take(root: root)).changes(since: before).isEmpty)

        try CurationQueueTests.face(seed: 50).write(to: root.appendingPathComponent("Alice/new.png"))
        try FileManager.default.removeItem(at: files[0])
        try CurationQueueTests.face(seed: 51, shift: 9).write(to: files[1])  // replaced: other bytes
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Bob/inner"), withIntermediateDirectories: true)
        try CurationQueueTests.face(seed: 52).write(to: root.appendingPathComponent("Bob/inner/b.png"))
        let changes = try XCTUnwrap(PhotoFolderSnapshot.take(root: root)).changes(since: before)
        XCTAssertEqual(changes.added, 2)
        XCTAssertEqual(changes.removed, 1)
        XCTAssertEqual(changes.modified, 1)
        XCTAssertEqual(changes.foldersAdded, ["Bob"])
        XCTAssertEqual(changes.foldersRemoved, [])
        XCTAssertFalse(changes.isEmpty)

        XCTAssertNil(PhotoFolderSnapshot.take(root: root.appendingPathComponent("missing")))
    }
}
