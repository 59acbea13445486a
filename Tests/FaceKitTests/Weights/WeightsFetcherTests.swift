import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

final class WeightsFetcherTests: XCTestCase {
    /// 300 KB of deterministic bytes standing in for a weights file.
    let payload: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }

    func weights(md5: String? = nil) -> PretrainedWeights {
        PretrainedWeights(id: "test", fileName: "test_weights.h5", byteCount: payload.count,
                          md5: md5 ?? MD5.hex(Data(payload)), officialURL: "http://invalid.example/")
    }

    func testDownloadsVerifiesAndInstallsAtomically() throws {
        let server = try LoopbackHTTPServer(payload: payload)
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(weights(), source: server.url, folder: folder)
        let seen = Counter()
        let url = try fetcher.fetch { p in seen.add(p.received) }
        XCTAssertEqual(try Data(contentsOf: url), Data(payload))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fetcher.partial.path))
        XCTAssertEqual(seen.last, Int64(payload.count), "progress reaches the full size")
        // A second fetch finds the verified file and does not download again.
        _ = try fetcher.fetch()
        XCTAssertEqual(server.requests.count, 1)
    }

    func testResumesAfterAnInterruption() throws {
        let server = try LoopbackHTTPServer(payload: payload, behaviour: .cutAfter(120_000))
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(weights(), source: server.url, folder: folder)
        XCTAssertThrowsError(try fetcher.fetch()) { error in
            XCTAssertTrue("\(error)".contains("run the same command again to resume"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fetcher.destination.path), "nothing installed")
        let kept = try Data(contentsOf: fetcher.partial).count
        XCTAssertEqual(kept, 120_000)

        server.setBehaviour(.normal)
        let url = try fetcher.fetch()
        XCTAssertEqual(try Data(contentsOf: url), Data(payload))
        XCTAssertTrue(server.requests.last!.contains("Range: bytes=120000-"), server.requests.last!)
    }

    func testServerIgnoringRangeRestartsCleanly() throws {
        let server = try LoopbackHTTPServer(payload: payload, behaviour: .ignoreRange)
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(weights(), source: server.url, folder: folder)
        try Data(payload.prefix(1000)).write(to: fetcher.partial)
        XCTAssertEqual(try Data(contentsOf: fetcher.fetch()), Data(payload))
    }

    func testChecksumMismatchInstallsNothing() throws {
        let server = try LoopbackHTTPServer(payload: payload)
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(weights(md5: String(repeating: "0", count: 32)), source: server.url, folder: folder)
        XCTAssertThrowsError(try fetcher.fetch()) { error in
            XCTAssertTrue("\(error)".hasPrefix("checksum mismatch (MD5 \(MD5.hex(Data(self.payload))), expected 000"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("the file was not installed"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testHTTPErrorAndUnreachableServer() throws {
        let folder = try temporaryFolder(self)
        let server = try LoopbackHTTPServer(payload: payload)
        let port = server.port
        server.stop()
        let fetcher = WeightsFetcher(weights(), source: URL(string: "http://127.0.0.1:\(port)/x")!, folder: folder)
        XCTAssertThrowsError(try fetcher.fetch()) { XCTAssertTrue("\($0)".hasPrefix("cannot download: "), "\($0)") }
    }

    func testMD5MatchesRFC1321Vectors() {
        let vectors = [
            "": "d41d8cd98f00b204e9800998ecf8427e",
            "a": "0cc175b9c0f1b6a831c399e269772661",
            "abc": "900150983cd24fb0d6963f7d28e17f72",
            "message digest": "f96b697d7cb7938d525a2f31aaf161d0",
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890": "57edf4a22be3c955ac49da2e2107b67a",
        ]
        for (text, digest) in vectors { XCTAssertEqual(MD5.hex(Data(text.utf8)), digest, text) }
        // Fed in uneven pieces, the digest is the same as in one go.
        var pieces = MD5()
        let data = Data(payload)
        var offset = 0
        for size in [1, 63, 64, 65, 1000, 7] + Array(repeating: 4096, count: 100) where offset < data.count {
            let end = min(data.count, offset + size)
            pieces.update(data[offset..<end])
            offset = end
        }
        pieces.update(data[offset...])
        XCTAssertEqual(pieces.hexDigest(), MD5.hex(data))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int64] = []
    func add(_ v: Int64) { lock.withLock { values.append(v) } }
    var last: Int64? { lock.withLock { values.last } }
}
