import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

final class PhotoLoaderTests: XCTestCase {
    let loader = PhotoLoader()

    // MARK: Formats and pixel layouts

    func testPalettePNGWithTransparencyIsExpandedAndCompositedOverWhite() throws {
        let dir = try temporaryFolder(self)
        // Palette: 0 red, 1 green (fully transparent via tRNS) -> white.
        let data = PNGWriter.png(width: 2, height: 1, bitDepth: 8, colour: .palette, rows: [[0, 1]],
                                 palette: [255, 0, 0, 0, 255, 0], transparency: [255, 0])
        let url = dir.appendingPathComponent("palette.png")
        try data.write(to: url)
        let image = try loader.load(url)
        XCTAssertEqual(image.width, 2)
        XCTAssertEqual(image.pixels, [255, 0, 0, 255, 255, 255])
    }

    func testSixteenBitGreyAndGreyAlphaBecomeRGB() throws {
        let dir = try temporaryFolder(self)
        let grey16 = dir.appendingPathComponent("grey16.png")
        // 16-bit samples 0x0000 and 0xFFFF and 0x8080 -> 0, 255, 128.
        try PNGWriter.png(width: 3, height: 1, bitDepth: 16, colour: .grey,
                          rows: [[0, 0, 0xFF, 0xFF, 0x80, 0x80]]).write(to: grey16)
        XCTAssertEqual(try loader.load(grey16).pixels, [0, 0, 0, 255, 255, 255, 128, 128, 128])

        let greyAlpha = dir.appendingPathComponent("grey-alpha.png")
        // Black at half opacity over white -> about 128.
        try PNGWriter.png(width: 1, height: 1, bitDepth: 8, colour: .greyAlpha, rows: [[0, 128]]).write(to: greyAlpha)
        let px = try loader.load(greyAlpha).pixels
        XCTAssertEqual(px.count, 3)
        for v in px { XCTAssertEqual(Int(v), 127, accuracy: 1) }
    }

    func testRGBAOpaquePixelsKeepTheirColour() throws {
        let dir = try temporaryFolder(self)
        let url = dir.appendingPathComponent("rgba.png")
        try PNGWriter.png(width: 2, height: 1, bitDepth: 8, colour: .rgba,
                          rows: [[10, 20, 30, 255, 0, 0, 0, 0]]).write(to: url)
        XCTAssertEqual(try loader.load(url).pixels, [10, 20, 30, 255, 255, 255])
    }

    func testLosslessFormatsRoundTripThroughOpenCVEncoders() throws {
        let dir = try temporaryFolder(self)
        let image = TestImages.gradient(width: 37, height: 23)
        for ext in ["png", "bmp", "tiff"] {
            let url = dir.appendingPathComponent("gradient.\(ext)")
            try image.write(to: url)
            XCTAssertEqual(try loader.header(of: url).format.rawValue, ext == "tiff" ? "tiff" : ext)
            XCTAssertEqual(try loader.load(url), image, "\(ext) did not round-trip")
        }
    }

    func testWebPAndJPEGDecodeCloseToTheOriginal() throws {
        let dir = try temporaryFolder(self)
        let image = TestImages.gradient(width: 64, height: 48)
        for ext in ["webp", "jpg"] {
            let url = dir.appendingPathComponent("gradient.\(ext)")
            try image.write(to: url)
            let back = try loader.load(url)
            XCTAssertEqual(back.width, 64)
            XCTAssertEqual(back.height, 48)
            let meanError = zip(back.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / image.pixels.count
            XCTAssertLessThan(meanError, 6, "\(ext) decoded far from the original")
        }
    }

    func testEXIFOrientationSixIsRotatedUpright() throws {
        let dir = try temporaryFolder(self)
        // 40x20: left half red, right half blue. Orientation 6 means "rotate 90° clockwise to
        // view", so the upright image is 20x40 with red on top.
        var pixels: [UInt8] = []
        for _ in 0..<20 { for x in 0..<40 { pixels += x < 20 ? [230, 20, 20] : [20, 20, 230] } }
        let plain = dir.appendingPathComponent("plain.jpg")
        try RGBImage(width: 40, height: 20, pixels: pixels).write(to: plain)
        let rotated = dir.appendingPathComponent("exif6.jpg")
        try Self.insertingOrientation(6, into: Data(contentsOf: plain)).write(to: rotated)

        let header = try loader.header(of: rotated)
        XCTAssertEqual(header.orientation, 6)
        let image = try loader.load(rotated)
        XCTAssertEqual(image.width, 20)
        XCTAssertEqual(image.height, 40)
        XCTAssertGreaterThan(image[10, 5].0, 150, "top should be red")
        XCTAssertGreaterThan(image[10, 35].2, 150, "bottom should be blue")
    }

    // MARK: Bad input: clear one-line reasons, never a crash

    func testZeroByteFile() throws {
        let url = try temporaryFolder(self).appendingPathComponent("empty.jpg")
        try Data().write(to: url)
        XCTAssertThrowsError(try loader.load(url)) {
            XCTAssertEqual("\($0)", "empty.jpg: empty file (0 bytes)")
        }
    }

    func testTextNamedJPG() throws {
        let url = try temporaryFolder(self).appendingPathComponent("notes.jpg")
        try Data("these are not pixels\n".utf8).write(to: url)
        XCTAssertThrowsError(try loader.load(url)) {
            XCTAssertEqual("\($0)", "notes.jpg: not an image (looks like text)")
        }
    }

    func testTruncatedJPEGAndPNG() throws {
        let dir = try temporaryFolder(self)
        let image = TestImages.gradient(width: 120, height: 90)
        for ext in ["jpg", "png"] {
            let whole = dir.appendingPathComponent("whole.\(ext)")
            try image.write(to: whole)
            let data = try Data(contentsOf: whole)
            let cut = dir.appendingPathComponent("cut.\(ext)")
            try data.prefix(data.count / 2).write(to: cut)
            XCTAssertThrowsError(try loader.load(cut)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("cut.\(ext): "), text)
                XCTAssertTrue(text.contains("truncated"), text)
                XCTAssertFalse(text.contains("\n"), "one line: \(text)")
            }
        }
    }

    func testOversizedHeaderIsRefusedBeforeDecoding() throws {
        let url = try temporaryFolder(self).appendingPathComponent("bomb.png")
        try PNGWriter.headerOnly(width: 50_000, height: 50_000).write(to: url)
        XCTAssertThrowsError(try loader.load(url)) {
            XCTAssertEqual("\($0)", "bomb.png: too large: 50000x50000 is 2500.0 MP, over the 100 MP limit")
        }
    }

    func testMissingFileFolderAndGIF() throws {
        let dir = try temporaryFolder(self)
        XCTAssertThrowsError(try loader.load(dir.appendingPathComponent("nope.jpg"))) {
            XCTAssertEqual("\($0)", "nope.jpg: no such file")
        }
        XCTAssertThrowsError(try loader.load(dir)) { XCTAssertTrue("\($0)".hasSuffix("is a folder, not an image")) }
        let gif = dir.appendingPathComponent("anim.gif")
        try Data("GIF89a\u{1}\0\u{1}\0".utf8).write(to: gif)
        XCTAssertThrowsError(try loader.load(gif)) { XCTAssertTrue("\($0)".contains("GIF images are not supported")) }
    }

    func testCorruptBodyWithValidHeader() throws {
        let dir = try temporaryFolder(self)
        let url = dir.appendingPathComponent("garbage.png")
        var data = PNGWriter.headerOnly(width: 10, height: 10)
        data.append(Data(repeating: 0x5A, count: 200))
        try data.write(to: url)
        XCTAssertThrowsError(try loader.load(url)) { XCTAssertTrue("\($0)".hasPrefix("garbage.png: corrupt or truncated PNG data"), "\($0)") }
    }

    /// Every file of a real image-search scrape either decodes or gives a one-line reason.
    func testMessyScrapeDecodesOrExplains() throws {
        let root = try SharedData.url("data/messy-scrape")
        let files = PhotoFiles.collect([root])
        XCTAssertEqual(files.count, 99)
        var decoded = 0
        for url in files {
            do {
                let image = try loader.load(url)
                XCTAssertGreaterThan(image.width * image.height, 0)
                decoded += 1
            } catch {
                XCTAssertFalse(error.reason.isEmpty)
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
        XCTAssertGreaterThan(decoded, 90, "most of the scrape is usable")
    }

    func testSymbolicLinksToPhotosAreFollowed() throws {
        let dir = try temporaryFolder(self)
        let real = dir.appendingPathComponent("real.png")
        try PNGWriter.png(width: 1, height: 1, bitDepth: 8, colour: .rgb, rows: [[1, 2, 3]]).write(to: real)
        let folder = dir.appendingPathComponent("member", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let link = folder.appendingPathComponent("linked.png")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        XCTAssertEqual(PhotoFiles.collect([folder]).map(\.lastPathComponent), ["linked.png"])
        XCTAssertEqual(try loader.load(link).pixels, [1, 2, 3])
    }

    func testCollectExpandsFoldersAndKeepsFiles() throws {
        let dir = try temporaryFolder(self)
        let sub = dir.appendingPathComponent("メンバー", isDirectory: true)
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["b.jpg", "a10.png", "a2.PNG", "notes.txt", ".hidden.jpg"] {
            try Data([1]).write(to: sub.appendingPathComponent(name))
        }
        let loose = dir.appendingPathComponent("loose.txt")
        try Data([1]).write(to: loose)
        let found = PhotoFiles.collect([sub, loose]).map(\.lastPathComponent)
        XCTAssertEqual(found, ["a2.PNG", "a10.png", "b.jpg", "loose.txt"])
    }

    // MARK: Helpers


    /// Inserts an APP1 EXIF segment with just an orientation tag right after SOI.
    static func insertingOrientation(_ orientation: UInt8, into jpeg: Data) -> Data {
        var tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8]  // big-endian, IFD at 8
        tiff += [0, 1]                                              // one entry
        tiff += [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0] // tag 0x0112 SHORT x1
        tiff += [0, 0, 0, 0]                                        // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        var out = Data(jpeg.prefix(2))
        out.append(contentsOf: [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 255)] + payload)
        out.append(jpeg.dropFirst(2))
        return out
    }
}
