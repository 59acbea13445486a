import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// `tribelens-cli detect` on a folder where hostile files sit among good photos: the good ones
/// are still processed, each bad one gives one line naming it, and the process never crashes —
/// also under a hard address-space limit on a 10000x10000 RGBA 16-bit PNG (issue 16).
final class HostileFilesCLITests: XCTestCase {
    func testOneHostileFileAmongGoodOnesOnlyCostsThatFile() throws {
        let home = try temporaryFolder(self)
        let photos = home.appendingPathComponent("photos", isDirectory: true)
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try TestImages.gradient(width: 60, height: 40).write(to: photos.appendingPathComponent("a-good.png"))
        try PNGWriter.headerOnly(width: .max, height: .max).write(to: photos.appendingPathComponent("b-overflow.png"))
        try PNGWriter.headerOnly(width: 3_037_000_500, height: 3_037_000_500).write(to: photos.appendingPathComponent("c-overflow.png"))
        XCTAssertEqual(mkfifo(photos.appendingPathComponent("d-pipe.jpg").path, 0o600), 0)
        // A strip so thin that shrinking it for Haar rounds to zero rows.
        try TestImages.gradient(width: 20_000, height: 2).write(to: photos.appendingPathComponent("e-strip.png"))
        _ = try TestImages.createRaw(photos, Array("f-caf".utf8) + [0xE9] + Array(".png".utf8),
                                           try Data(contentsOf: photos.appendingPathComponent("a-good.png")))
        let result = try CLIRunner(home: home).run(["detect", photos.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        let out = result.stdout.split(separator: "\n").filter { !$0.hasPrefix("  ") }.map(String.init)
        XCTAssertEqual(out, ["\(photos.path)/a-good.png: 60x40, 0 faces",
                             "\(photos.path)/e-strip.png: 20000x2, 0 faces",
                             "\(photos.path)/f-caf\u{FFFD}.png: 60x40, 0 faces"], result.stderr)
        let errors = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertTrue(errors.contains("error: b-overflow.png: too large: the header claims 4294967295x4294967295 pixels "
                                      + "(no decoder takes more than 1048576 a side)"), result.stderr)
        XCTAssertTrue(errors.contains { $0.hasPrefix("error: c-overflow.png: too large") }, result.stderr)
        XCTAssertTrue(errors.contains { $0.hasSuffix("d-pipe.jpg: not a regular file (a named pipe)") }, result.stderr)
        XCTAssertEqual(errors.filter { !$0.hasPrefix("error: ") && !$0.hasPrefix("warning: ") }, [], "every line is ours")
    }

    func testDamagedJPEGWarningIsOursNotLibjpegs() throws {
        let home = try temporaryFolder(self)
        let plain = home.appendingPathComponent("plain.jpg")
        try TestImages.gradient(width: 64, height: 48).write(to: plain)
        let damaged = home.appendingPathComponent("damaged.jpg")
        try TestImages.cutScan(of: plain, to: damaged)
        let result = try CLIRunner(home: home).run(["detect", damaged.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "warning: damaged.jpg: damaged JPEG data, decoded anyway; the decoder said: "
                       + "Corrupt JPEG data: premature end of data segment\n")
    }

    /// Damaged TIFFs (as the fuzz suite's images inputs 273, 381 and 560 of seed 16): OpenCV's
    /// TIFF reader throws and prints its exception; the user sees one line of ours per file.
    func testDamagedTIFFGivesExactlyOurOneLine() throws {
        let home = try temporaryFolder(self)
        let good = home.appendingPathComponent("good.tif")
        try TestImages.gradient(width: 64, height: 48).write(to: good)
        let bytes = [UInt8](try Data(contentsOf: good))
        // The photometric tag (262) renamed: the header still gives a size, libtiff's reader gives up.
        let little = bytes[0] == 0x49
        let ifd = little ? Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            : Int(bytes[4]) << 24 | Int(bytes[5]) << 16 | Int(bytes[6]) << 8 | Int(bytes[7])
        var renamed = bytes, moved = bytes
        let count = little ? Int(bytes[ifd]) | Int(bytes[ifd + 1]) << 8 : Int(bytes[ifd]) << 8 | Int(bytes[ifd + 1])
        var found = 0
        for entry in 0..<count {
            let e = ifd + 2 + entry * 12
            let tag = little ? Int(bytes[e]) | Int(bytes[e + 1]) << 8 : Int(bytes[e]) << 8 | Int(bytes[e + 1])
            if tag == 262 { renamed[e] = little ? 0x07 : 0x01; renamed[e + 1] = little ? 0x01 : 0x07; found += 1 }  // 263
            if tag == 273 { for i in 8..<12 { moved[e + i] = 0x7F }; found += 1 }  // strip offsets past the end
        }
        XCTAssertEqual(found, 2, "the TIFF OpenCV wrote has photometric and strip-offset tags")
        let header = home.appendingPathComponent("bad-header.tif")
        try Data(renamed).write(to: header)
        let strips = home.appendingPathComponent("lost-strips.tif")
        try Data(moved).write(to: strips)
        for file in [header, strips] {
            let result = try CLIRunner(home: home).run(["detect", file.path])
            XCTAssertEqual(result.status, 1, result.stderr)
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(lines.count, 2, "one line and its newline: \(result.stderr)")
            XCTAssertTrue(lines[0].hasPrefix("error: \(file.lastPathComponent): corrupt or truncated TIFF data ("), result.stderr)
            XCTAssertFalse(result.stderr.contains("imdecode_") || result.stderr.contains("OpenCV("), result.stderr)
            XCTAssertEqual(lines.last, "")
        }
    }

    /// The worst case: RGBA 16-bit 10000x10000 peaked at 9.6 GB. Under a 1.5 GiB address
    /// space (virtual size, more than resident) it must decode or refuse, never crash.
    func testHugeRGBA16PNGUnderAHardAddressSpaceLimit() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else { throw XCTSkip("needs prlimit (util-linux)") }
        let home = try temporaryFolder(self)
        let png = home.appendingPathComponent("rgba16.png")
        try Self.solidRGBA16PNG(side: 10_000).write(to: png)
        let binary = TestPlugins.directory.appendingPathComponent("tribelens-cli")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("tribelens-cli is not built next to the tests") }
        for limit in [1536 << 20, 768 << 20] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--as=\(limit)", binary.path, "detect", png.path]
            let err = Pipe(), out = Pipe()
            process.standardError = err
            process.standardOutput = out
            try process.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "killed by a signal under --as=\(limit): \(stderr)")
            if process.terminationStatus == 0 {
                XCTAssertEqual(stdout, "\(png.path): 10000x10000, 0 faces\n")
            } else {
                XCTAssertEqual(process.terminationStatus, 1)
                XCTAssertTrue(stderr.hasPrefix("error: rgba16.png: "), stderr)
                XCTAssertTrue(stderr.contains("memory"), stderr)
            }
        }
    }

    /// A solid-colour RGBA 16-bit PNG of a few MB: the first row as stored bytes, every other
    /// row "Up"-filtered (all zeros: the same pixels as the row above), written as runs.
    static func solidRGBA16PNG(side: Int) -> Data {
        let first: [UInt8] = [0] + Array(repeating: [0x78, 0x00, 0x40, 0x00, 0x20, 0x00, 0xFF, 0xFF], count: side).flatMap { $0 }
        var ihdr = Data()
        ihdr.append(PNGWriter.be32(UInt32(side)))
        ihdr.append(PNGWriter.be32(UInt32(side)))
        ihdr.append(contentsOf: [16, 6, 0, 0, 0])
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        out.append(PNGWriter.chunk("IHDR", ihdr))
        out.append(PNGWriter.chunk("IDAT", RunDeflate.zlib(firstRow: first, upRows: side - 1)))
        out.append(PNGWriter.chunk("IEND", Data()))
        return out
    }
}

/// Just enough deflate for `solidRGBA16PNG`: a stored block, then one fixed-Huffman block where
/// each row is the literals 2 (filter Up) and 0 followed by copies at distance 1.
enum RunDeflate {
    static func zlib(firstRow row: [UInt8], upRows: Int) -> Data {
        var bits = BitWriter()
        bits.bytes = [0x78, 0x01]
        var offset = 0
        while offset < row.count {
            let n = min(65_535, row.count - offset)
            bits.write(0, 1); bits.write(0, 2); bits.align()  // not final, stored
            bits.bytes += [UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)]
            bits.bytes += row[offset..<offset + n]
            offset += n
        }
        bits.write(1, 1); bits.write(1, 2)  // final, fixed Huffman
        let zeros = row.count - 1
        for _ in 0..<upRows {
            bits.huffman(2)
            bits.huffman(0)
            var remaining = zeros - 1
            while remaining >= 3 {
                var length = min(258, remaining)
                if remaining - length > 0 && remaining - length < 3 { length -= 3 }
                bits.length(length)
                bits.write(0, 5)  // distance code 0: distance 1
                remaining -= length
            }
            for _ in 0..<remaining { bits.huffman(0) }
        }
        bits.huffman(256)
        bits.align()
        // Adler-32: the first row byte by byte, then each Up row (a 2 and `zeros` zeros) at once.
        var a: UInt64 = 1, b: UInt64 = 0
        for byte in row { a = (a + UInt64(byte)) % 65_521; b = (b + a) % 65_521 }
        for _ in 0..<upRows {
            a = (a + 2) % 65_521; b = (b + a) % 65_521
            b = (b + UInt64(zeros) * a) % 65_521
        }
        bits.bytes += [UInt8(b >> 8), UInt8(b & 255), UInt8(a >> 8), UInt8(a & 255)]
        return Data(bits.bytes)
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var current: UInt32 = 0, count = 0

        mutating func write(_ value: Int, _ n: Int) {  // LSB first
            for i in 0..<n { push(value >> i & 1) }
        }
        mutating func push(_ bit: Int) {
            current |= UInt32(bit) << count
            count += 1
            if count == 8 { bytes.append(UInt8(current)); current = 0; count = 0 }
        }
        mutating func align() { if count > 0 { bytes.append(UInt8(current)); current = 0; count = 0 } }
        /// A fixed-Huffman literal/length code, MSB first.
        mutating func huffman(_ symbol: Int) {
            let (code, n): (Int, Int)
            switch symbol {
            case 0...143: (code, n) = (0x30 + symbol, 8)
            case 144...255: (code, n) = (0x190 + symbol - 144, 9)
            case 256...279: (code, n) = (symbol - 256, 7)
            default: (code, n) = (0xC0 + symbol - 280, 8)
            }
            for i in stride(from: n - 1, through: 0, by: -1) { push(code >> i & 1) }
        }
        mutating func length(_ length: Int) {
            let bases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
            let extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
            let i = bases.lastIndex { $0 <= length }!
            huffman(257 + i)
            write(length - bases[i], extra[i])
        }
    }
}
