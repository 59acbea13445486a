import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// `weights fetch sface|yunet` through WeightsFetcher: a SHA-256 entry downloads, resumes and
/// refuses wrong bytes the way the MD5 one does. Small stand-in files with injected checksums,
/// as WeightsFetcherTests does for VGG16; the real entries are checked end to end in
/// WeightsCLITests with the shared YuNet file.
final class FaceModelFetchTests: XCTestCase {
    let payload: [UInt8] = (0..<250_000).map { UInt8(truncatingIfNeeded: $0 &* 2_246_822_519 >> 9) }

    /// The SFace entry, expecting the stand-in's size and digest (or `sha256`).
    func sface(sha256: String? = nil) -> PretrainedWeights {
        let real = PretrainedWeights.sface
        return PretrainedWeights(id: real.id, fileName: real.fileName, byteCount: payload.count,
                                 checksum: .sha256(sha256 ?? ContentHash.sha256(Data(payload))),
                                 officialURL: real.officialURL, faceModelKind: .sface)
    }

    func testDownloadsAndInstallsUnderTheOfficialName() throws {
        let server = try LoopbackHTTPServer(payload: payload)
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(sface(), source: server.url, folder: folder)
        let url = try fetcher.fetch()
        XCTAssertEqual(url.lastPathComponent, "face_recognition_sface_2021dec.onnx")
        XCTAssertEqual(try Data(contentsOf: url), Data(payload))
        XCTAssertEqual(WeightsLocator.check(url, against: sface()), .verified)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [url.lastPathComponent])
        _ = try fetcher.fetch()
        XCTAssertEqual(server.requests.count, 1, "a verified copy is not downloaded again")
    }

    func testResumesWithARange() throws {
        let server = try LoopbackHTTPServer(payload: payload, behaviour: .cutAfter(100_000))
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(sface(), source: server.url, folder: folder)
        XCTAssertThrowsError(try fetcher.fetch()) { XCTAssertTrue("\($0)".contains("run the same command again to resume"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fetcher.destination.path))
        XCTAssertEqual(try Data(contentsOf: fetcher.partial).count, 100_000)
        server.setBehaviour(.normal)
        XCTAssertEqual(try Data(contentsOf: fetcher.fetch()), Data(payload))
        XCTAssertTrue(server.requests.last!.contains("Range: bytes=100000-"), server.requests.last!)
    }

    func testWrongBytesAreNotInstalled() throws {
        var corrupt = payload
        corrupt[123_456] ^= 0x80
        let server = try LoopbackHTTPServer(payload: corrupt)
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(sface(), source: server.url, folder: folder)
        XCTAssertThrowsError(try fetcher.fetch()) { error in
            XCTAssertEqual("\(error)", "checksum mismatch (SHA-256 \(ContentHash.sha256(Data(corrupt))), expected "
                                       + "\(ContentHash.sha256(Data(self.payload)))): the file was not installed")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no file, no part file")
    }

    func testAnInstalledFileWithWrongBytesIsReplaced() throws {
        let server = try LoopbackHTTPServer(payload: payload)
        defer { server.stop() }
        let folder = try temporaryFolder(self)
        let fetcher = WeightsFetcher(sface(), source: server.url, folder: folder)
        try Data(repeating: 0, count: payload.count).write(to: fetcher.destination)
        XCTAssertEqual(WeightsLocator.check(fetcher.destination, against: sface()),
                       .wrongChecksum(ContentHash.sha256(Data(repeating: 0, count: payload.count))))
        XCTAssertEqual(try Data(contentsOf: fetcher.fetch()), Data(payload))
        XCTAssertEqual(server.requests.count, 1)
    }
}
