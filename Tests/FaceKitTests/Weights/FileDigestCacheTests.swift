import Foundation
import XCTest
@testable import FaceKit

/// Digests of model files kept across starts: a second process (a second cache on the same store)
/// reads the stored digest instead of the file, and only while the file's status is unchanged.
final class FileDigestCacheTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("digests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func cache() -> FileDigestCache {
        let store = folder.appendingPathComponent("cache/file-digests.json")
        return FileDigestCache(store: { store })
    }

    func testAStoredDigestHoldsUntilTheFileChanges() throws {
        let file = folder.appendingPathComponent("model.onnx")
        try Data(repeating: 7, count: 100_000).write(to: file)
        let first = cache()
        XCTAssertEqual(try first.sha256(ofFile: file), ContentHash.sha256(try Data(contentsOf: file)))
        XCTAssertEqual(first.filesHashed, 1)

        // A new start: the digest comes from the store. Forge it there, so that reading the file
        // again could not give the stored answer.
        let storeFile = folder.appendingPathComponent("cache/file-digests.json")
        var contents = try JSONDecoder().decode(FileDigestCache.Contents.self, from: Data(contentsOf: storeFile))
        XCTAssertEqual(contents.entries.count, 1)
        let key = try XCTUnwrap(contents.entries.keys.first)
        contents.entries[key]?.sha256 = "stored"
        try JSONEncoder().encode(contents).write(to: storeFile)
        let second = cache()
        XCTAssertEqual(try second.sha256(ofFile: file), "stored")
        XCTAssertEqual(second.filesHashed, 0)

        // The same size, other bytes, the modification time put back: the status-change time
        // still moved, so the file is read again.
        let modified = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate]
        try Data(repeating: 8, count: 100_000).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: modified as Any], ofItemAtPath: file.path)
        XCTAssertEqual(try second.sha256(ofFile: file), ContentHash.sha256(Data(repeating: 8, count: 100_000)))
        XCTAssertEqual(second.filesHashed, 1)
        XCTAssertEqual(try cache().sha256(ofFile: file), ContentHash.sha256(Data(repeating: 8, count: 100_000)))
    }

    func testAMalformedStoreIsIgnoredAndReplaced() throws {
        let file = folder.appendingPathComponent("model.onnx")
        try Data("weights".utf8).write(to: file)
        let storeFile = folder.appendingPathComponent("cache/file-digests.json")
        try FileManager.default.createDirectory(at: storeFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{\"format\": 1, \"entries\": [".utf8).write(to: storeFile)
        let store = cache()
        XCTAssertEqual(try store.sha256(ofFile: file), ContentHash.sha256(Data("weights".utf8)))
        XCTAssertEqual(store.filesHashed, 1)
        let rewritten = try JSONDecoder().decode(FileDigestCache.Contents.self, from: Data(contentsOf: storeFile))
        XCTAssertEqual(rewritten.entries.values.map(\.sha256), [ContentHash.sha256(Data("weights".utf8))])
    }

    func testDeletedFilesLeaveTheStore() throws {
        let gone = folder.appendingPathComponent("gone.onnx"), kept = folder.appendingPathComponent("kept.onnx")
        try Data("a".utf8).write(to: gone)
        try Data("b".utf8).write(to: kept)
        let store = cache()
        _ = try store.sha256(ofFile: gone)
        try FileManager.default.removeItem(at: gone)
        _ = try store.sha256(ofFile: kept)
        let contents = try JSONDecoder().decode(FileDigestCache.Contents.self,
                                                from: Data(contentsOf: folder.appendingPathComponent("cache/file-digests.json")))
        XCTAssertEqual(Array(contents.entries.keys), [kept.standardizedFileURL.path])
    }
}
