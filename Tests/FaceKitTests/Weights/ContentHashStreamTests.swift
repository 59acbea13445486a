import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// The incremental SHA-256 that model files are checked with: FIPS 180-4's vectors, and the same
/// digest however the input is cut into pieces.
final class ContentHashStreamTests: XCTestCase {
    func testKnownVectorsFedInPieces() {
        let vectors: [(Data, String)] = [
            (Data(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Data("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (Data(repeating: 0x61, count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (data, digest) in vectors {
            XCTAssertEqual(ContentHash.sha256(data), digest)
            for piece in [1, 3, 63, 64, 65, 1000] {
                var stream = ContentHash.Stream()
                var offset = 0
                while offset < data.count {
                    let end = min(data.count, offset + piece)
                    stream.update(data[offset..<end])
                    offset = end
                }
                XCTAssertEqual(stream.hexDigest(), digest, "\(data.count) bytes in pieces of \(piece)")
            }
        }
    }

    func testUnevenPiecesMatchTheOneShotDigest() {
        let data = Data((0..<200_003).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 11) })
        var stream = ContentHash.Stream()
        var offset = 0
        for size in [0, 1, 62, 1, 64, 129, 7, 4096, 55, 56, 57] + Array(repeating: 8191, count: 30) where offset < data.count {
            let end = min(data.count, offset + size)
            stream.update(data[offset..<end])
            offset = end
        }
        stream.update(data[offset...])
        XCTAssertEqual(ContentHash.hex(stream.finish()), ContentHash.sha256(data))
        XCTAssertNotEqual(ContentHash.sha256(data), ContentHash.sha256(data.dropLast()))
    }

    func testFileDigestStreamsTheSameBytes() throws {
        // Larger than the 1 MiB read so the file is hashed in several pieces.
        let data = Data((0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 40_503 >> 7) })
        let file = try temporaryFolder(self).appendingPathComponent("blob")
        try data.write(to: file)
        XCTAssertEqual(try ContentHash.sha256(ofFile: file), ContentHash.sha256(data))
    }
}
