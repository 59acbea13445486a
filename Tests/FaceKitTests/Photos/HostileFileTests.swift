import CVision
import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// Issue 16: files that lie about their size, are not files, have names that are not UTF-8, or
/// need more memory than there is give one line naming the file, never a trap or a crash.
final class HostileFileTests: XCTestCase {
    let loader = PhotoLoader()

    // MARK: Size fields of every format

    func testOverflowingPNGHeadersAreRefusedWithoutTrapping() throws {
        let dir = try temporaryFolder(self)
        for (name, side) in [("max.png", UInt32.max), ("sqrt.png", UInt32(3_037_000_500))] {
            let url = dir.appendingPathComponent(name)
            try PNGWriter.headerOnly(width: side, height: side).write(to: url)
            XCTAssertThrowsError(try loader.load(url)) {
                XCTAssertEqual("\($0)", "\(name): too large: the header claims \(side)x\(side) pixels "
                               + "(no decoder takes more than 1048576 a side)")
            }
            // Both products pass Int.max (3037000500² is just over it): saturated, not trapped.
            XCTAssertEqual(ImageHeaderReader.parsePNG(Array(try Data(contentsOf: url)))?.pixelCount, Int.max)
        }
        // The product itself saturates instead of trapping.
        XCTAssertEqual(ImageHeader(format: .png, width: Int.max / 2, height: 3).pixelCount, Int.max)
    }

    func testOverflowingBMPWebPTIFFAndJPEGHeaders() throws {
        let dir = try temporaryFolder(self)
        // BMP: width 2^31-1, height INT_MIN (top-down with an absurd row count).
        var bmp = [UInt8](repeating: 0, count: 54)
        bmp[0] = 0x42; bmp[1] = 0x4D
        bmp[18...21] = [0xFF, 0xFF, 0xFF, 0x7F][...]
        bmp[22...25] = [0x00, 0x00, 0x00, 0x80][...]
        bmp[28] = 24
        // WebP VP8X: 2^24 x 2^24.
        var webp = Array("RIFF".utf8) + [30, 0, 0, 0] + Array("WEBPVP8X".utf8) + [10, 0, 0, 0, 0, 0, 0, 0]
        webp += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        // TIFF: LONG width and height of 2^32-1.
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0, 2, 0]
        tiff += [0x00, 0x01, 4, 0, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        tiff += [0x01, 0x01, 4, 0, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        tiff += [0, 0, 0, 0]
        // JPEG: a frame header of 65535 x 65535 and a scan start.
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0,
                             0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0xFF, 0xD9]
        let cases: [(String, [UInt8], String)] = [
            ("huge.bmp", bmp, "too large: the header claims 2147483647x2147483648 pixels"),
            ("huge.webp", webp, "too large: the header claims 16777216x16777216 pixels"),
            ("huge.tiff", tiff, "too large: the header claims 4294967295x4294967295 pixels"),
            ("huge.jpg", jpeg, "too large: 65535x65535 is 4294.8 MP, over the 100 MP limit"),
        ]
        for (name, bytes, reason) in cases {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            XCTAssertThrowsError(try loader.load(url), name) {
                XCTAssertTrue("\($0)".hasPrefix("\(name): \(reason)"), "\($0)")
            }
        }
    }

    func testBudgetArithmeticSaturates() {
        XCTAssertEqual(Checked.product(Int.max, 2), Int.max)
        XCTAssertEqual(Checked.product(1 << 32, 1 << 32), Int.max)
        XCTAssertEqual(Checked.sum(Int.max, 1), Int.max)
        XCTAssertEqual(Checked.ceilDiv(Int.max, 8), Int.max / 8 + 1)
        var header = ImageHeader(format: .tiff, width: Int(UInt32.max), height: Int(UInt32.max))
        header.channels = 4
        header.sampleBytes = 4
        let budget = DecodeBudget(workBytesPerPixel: 56, workBytes: 1 << 30)
        XCTAssertEqual(budget.cost(header, fileBytes: Int.max, reduction: 1), Int.max)
        XCTAssertNil(budget.plan(header, fileBytes: 100, available: 2 << 30, allowReduction: true))
    }

    // MARK: Memory budget

    func testPhotoOverTheBudgetIsRefusedOrDecodedSmaller() throws {
        let dir = try temporaryFolder(self)
        let url = dir.appendingPathComponent("big.png")
        try PhotoLoaderTests.gradient(width: 400, height: 300).write(to: url)
        // 400x300 RGB is 360 kB of result alone: 300 kB does not hold it, a quarter of it fits.
        let small = PhotoLoader(memory: MemoryReservations(capacity: 300_000))
        XCTAssertThrowsError(try small.load(url)) {
            XCTAssertTrue("\($0)".hasPrefix("big.png: too large for the memory budget: 400x300 PNG needs about "), "\($0)")
            XCTAssertTrue("\($0)".contains("TribeLens allows itself 300 kB for photos"), "\($0)")
        }
        let reduced = try small.decode(url, allowReduction: true)
        XCTAssertEqual(reduced.reduction, 2)
        XCTAssertEqual([reduced.image.width, reduced.image.height, reduced.fullWidth, reduced.fullHeight], [200, 150, 400, 300])
        XCTAssertEqual(reduced.fullSizeBox(FaceBox(x: 10, y: 20, width: 30, height: 40)), FaceBox(x: 20, y: 40, width: 60, height: 80))
        // Averaged 2x2 blocks of the full decode.
        let full = try loader.load(url)
        let expected = (full[0, 0].0, full[1, 0].0, full[0, 1].0, full[1, 1].0)
        let mean = (Int(expected.0) + Int(expected.1) + Int(expected.2) + Int(expected.3) + 2) / 4
        XCTAssertEqual(Int(reduced.image[0, 0].0), mean)
    }

    func testReservationsMakeAWorkerWaitForAnother() throws {
        let memory = MemoryReservations(capacity: 100)
        let order = OrderLog()
        let inside = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            memory.holding(80) { order.add("a in"); inside.signal(); release.wait(); order.add("a out") }
        }
        inside.wait()
        DispatchQueue.global().async(group: group) { memory.holding(50) { order.add("b in") } }
        Thread.sleep(forTimeInterval: 0.2)
        release.signal()
        group.wait()
        XCTAssertEqual(order.items, ["a in", "a out", "b in"])
    }

    // MARK: Not a photo file

    func testFIFODeviceProcAndHugeSparseFiles() throws {
        let dir = try temporaryFolder(self)
        let fifo = dir.appendingPathComponent("pipe.jpg")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try loader.load(fifo)) { XCTAssertEqual("\($0)", "pipe.jpg: not a regular file (a named pipe)") }
        XCTAssertThrowsError(try loader.load(URL(fileURLWithPath: "/dev/zero"))) {
            XCTAssertEqual("\($0)", "zero: not a regular file (a device)")
        }
        XCTAssertThrowsError(try loader.load(URL(fileURLWithPath: "/proc/self/status"))) {
            XCTAssertEqual("\($0)", "status: not a regular file (a /proc or /sys entry, not a photo)")
        }
        // 8 GiB, almost all of it a hole, behind a valid PNG header.
        let sparse = dir.appendingPathComponent("sparse.png")
        try PNGWriter.headerOnly(width: 100, height: 100).write(to: sparse)
        XCTAssertEqual(truncate(sparse.path, 8 << 30), 0)
        XCTAssertThrowsError(try loader.load(sparse)) {
            XCTAssertTrue("\($0)".hasPrefix("sparse.png: too large a file: 8.6 GB, more than the "), "\($0)")
            XCTAssertFalse("\($0)".contains("NSCocoaErrorDomain"))
        }
        XCTAssertThrowsError(try loader.contents(of: sparse)) { XCTAssertTrue("\($0)".contains("too large a file")) }
    }

    // MARK: Names that are not UTF-8

    /// Creates `folder/<bytes>` with `data`, by its raw name.
    static func createRaw(_ folder: URL, _ name: [UInt8], _ data: Data) throws -> Int32 {
        let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + name
        let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            open($0.baseAddress!, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        }
        guard fd >= 0 else { throw XCTSkip("this file system refuses names that are not UTF-8") }
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return close(fd)
    }

    func testPhotoWithANameThatIsNotUTF8IsFoundAndDecoded() throws {
        let dir = try temporaryFolder(self)
        let member = dir.appendingPathComponent("akira", isDirectory: true)
        try FileManager.default.createDirectory(at: member, withIntermediateDirectories: true)
        let png = PNGWriter.png(width: 1, height: 1, bitDepth: 8, colour: .rgb, rows: [[9, 8, 7]])
        _ = try Self.createRaw(member, Array("caf".utf8) + [0xE9] + Array(".png".utf8), png)  // Latin-1 é
        let found = PhotoFiles.collect([dir])
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found[0].displayName, "caf\u{FFFD}.png")
        XCTAssertEqual(try loader.load(found[0]).pixels, [9, 8, 7])
        XCTAssertEqual(FileSystemPath.rawBytes(found[0].lastPathComponent).dropLast().map { UInt8(bitPattern: $0) },
                       Array("caf".utf8) + [0xE9] + Array(".png".utf8))
        let roster = DatasetTestSupport.roster(["AKIRA"])
        let scan = try PhotoImport.scan(root: dir, roster: roster)
        XCTAssertEqual(scan.photos.count, 1)
        XCTAssertEqual(try loader.contents(of: scan.photos[0].url), png)
        // Round trip of every byte, and of a real name holding the escape range itself.
        for name in [[UInt8](0x80...0xFF), Array("\u{10FF85}x".utf8), Array("日本".utf8) + [0xFF, 0xC3]] {
            XCTAssertEqual(FileSystemPath.rawBytes(FileSystemPath.string(fromRaw: name)).dropLast().map { UInt8(bitPattern: $0) }, name)
        }
    }

    // MARK: Symbolic links

    func testSymlinkedMemberFoldersLoopsAndLinksLeavingTheRoot() throws {
        let dir = try temporaryFolder(self)
        let library = dir.appendingPathComponent("library/AKIRA-all", isDirectory: true)
        let outside = dir.appendingPathComponent("elsewhere", isDirectory: true)
        let root = dir.appendingPathComponent("root", isDirectory: true)
        for folder in [library, outside, root] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let png = PNGWriter.png(width: 1, height: 1, bitDepth: 8, colour: .rgb, rows: [[1, 2, 3]])
        try png.write(to: library.appendingPathComponent("a.png"))
        try png.write(to: outside.appendingPathComponent("secret.png"))
        let fm = FileManager.default
        try fm.createSymbolicLink(at: root.appendingPathComponent("akira"), withDestinationURL: library)
        try fm.createSymbolicLink(at: library.appendingPathComponent("again"), withDestinationURL: library)  // loop
        try fm.createSymbolicLink(at: library.appendingPathComponent("out"), withDestinationURL: outside)    // leaves
        try fm.createSymbolicLink(at: library.appendingPathComponent("gone.png"), withDestinationURL: dir.appendingPathComponent("nothing"))
        let roster = DatasetTestSupport.roster(["AKIRA"])
        let scan = try PhotoImport.scan(root: root, roster: roster)
        XCTAssertEqual(scan.photos.map(\.relativePath), ["akira/a.png"])
        XCTAssertEqual(scan.memberFolders.map(\.photoCount), [1])
        let skipped = Dictionary(uniqueKeysWithValues: scan.skippedFiles.map { ($0.path, $0.reason) })
        XCTAssertEqual(skipped["akira/again"], "symbolic link loop (points back to a folder above it): not followed")
        XCTAssertTrue(skipped["akira/out"]?.hasPrefix("symbolic link to a folder outside the photo folder") == true, "\(skipped)")
        XCTAssertEqual(skipped["akira/gone.png"], "broken symbolic link (its target is gone)")
        // The same walk behind `detect` and the app's dropped folders.
        let collected = PhotoFiles.collectReporting([root])
        XCTAssertEqual(collected.photos.map(\.lastPathComponent), [])  // the root's member link points outside it
        XCTAssertEqual(PhotoFiles.collectReporting([library]).photos.map(\.lastPathComponent), ["a.png"])
        XCTAssertEqual(PhotoFiles.collectReporting([library]).problems.count, 3)
    }

    // MARK: Decoder messages and the new decoder against OpenCV's

    func testCorruptJPEGDataIsAWarningInOurWords() throws {
        let dir = try temporaryFolder(self)
        let plain = dir.appendingPathComponent("plain.jpg")
        try PhotoLoaderTests.gradient(width: 64, height: 48).write(to: plain)
        let damaged = dir.appendingPathComponent("damaged.jpg")
        try Self.cutScan(of: plain, to: damaged)
        let photo = try loader.decode(damaged, allowReduction: false)
        XCTAssertEqual(photo.warning, "damaged JPEG data, decoded anyway; the decoder said: "
                       + "Corrupt JPEG data: premature end of data segment")
        XCTAssertNil(try loader.decode(plain, allowReduction: false).warning)
    }

    /// Half of the JPEG's scan data, then the end-of-image marker: libjpeg fills in grey and warns.
    static func cutScan(of jpeg: URL, to damaged: URL) throws {
        let bytes = try Data(contentsOf: jpeg)
        let scan = try XCTUnwrap(try PhotoLoader().header(of: jpeg).jpegScanOffset)
        try (bytes.prefix(scan + (bytes.count - scan) / 2) + Data([0xFF, 0xD9])).write(to: damaged)
    }

    func testDecoderMatchesOpenCVOnEveryOrientationAndTheScrape() throws {
        let dir = try temporaryFolder(self)
        var files: [URL] = []
        let gradient = PhotoLoaderTests.gradient(width: 37, height: 23)
        for ext in ["png", "jpg", "bmp", "tiff", "webp"] {
            let url = dir.appendingPathComponent("g.\(ext)")
            try gradient.write(to: url)
            files.append(url)
        }
        let plain = try Data(contentsOf: dir.appendingPathComponent("g.jpg"))
        for o in UInt8(2)...8 {
            let url = dir.appendingPathComponent("o\(o).jpg")
            try PhotoLoaderTests.insertingOrientation(o, into: plain).write(to: url)
            files.append(url)
        }
        let grey16 = dir.appendingPathComponent("grey16.png")
        try PNGWriter.png(width: 3, height: 2, bitDepth: 16, colour: .grey, rows: [[0, 1, 0x80, 0x7F, 0xFF, 0xFE], [1, 2, 3, 4, 5, 6]]).write(to: grey16)
        let rgba = dir.appendingPathComponent("rgba.png")
        try PNGWriter.png(width: 2, height: 2, bitDepth: 8, colour: .rgba, rows: [[10, 20, 30, 40, 50, 60, 70, 200], [1, 2, 3, 0, 4, 5, 6, 255]]).write(to: rgba)
        files += [grey16, rgba]
        if let scrape = try? SharedData.url("data/messy-scrape") { files += PhotoFiles.collect([scrape]) }
        var compared = 0
        for url in files {
            guard let header = try? loader.header(of: url), let ours = try? loader.load(url) else { continue }
            let data = try Data(contentsOf: url)
            let reference = try data.withUnsafeBytes { raw in
                try VisionCall.image { out, err, len in
                    cvision_decode_memory(raw.bindMemory(to: UInt8.self).baseAddress, raw.count,
                                          Int32(header.orientation), Int64(PhotoLoader.defaultMaxPixels), out, err, len)
                }
            }
            XCTAssertEqual(ours, reference, "\(url.lastPathComponent) decodes differently from OpenCV's imdecode")
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 14)
    }
}

/// A thread-safe list of events, for ordering assertions.
private final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
}
