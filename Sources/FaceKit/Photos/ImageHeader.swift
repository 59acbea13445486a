import Foundation

/// What a photo's first bytes say: its format, pixel size and EXIF orientation. Read before
/// decoding so that an oversized or bogus file is refused without loading it.
public struct ImageHeader: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        case jpeg, png, webp, bmp, tiff
    }

    public var format: Format
    public var width: Int
    public var height: Int
    /// EXIF orientation 1-8 (1: as stored). Only JPEG and TIFF carry it here.
    public var orientation: Int = 1
    /// JPEG only: where the first scan's entropy-coded data begins, so the loader can check that
    /// an end-of-image marker follows it (libjpeg silently fills a truncated file with grey).
    var jpegScanOffset: Int? = nil
    /// What a decoder holds per pixel, for the memory budget (`DecodeBudget`): channels after
    /// expansion (palette -> RGB(A), grey+alpha -> RGBA) and bytes per sample.
    var channels = 3
    var sampleBytes = 1
    /// PNG Adam7 and progressive JPEG need the whole image (or its coefficients) in memory at once.
    var interlaced = false

    /// Saturates instead of trapping: sizes come from the file and may be anything up to 2^32-1.
    public var pixelCount: Int { Checked.product(width, height) }

    /// No decoder TribeLens uses accepts a longer side (OpenCV's CV_IO_MAX_IMAGE_WIDTH).
    public static let maxSide = 1 << 20

    /// Sizes after orientation (orientations 5-8 swap width and height).
    public var uprightSize: (width: Int, height: Int) {
        orientation >= 5 ? (height, width) : (width, height)
    }
}

/// Parses `ImageHeader`s from a file, reading only as far as the format's size field.
struct ImageHeaderReader {
    /// How far into a JPEG we look for its frame header (EXIF blocks can be large).
    static let jpegScanLimit = 4 << 20

    let file: PhotoFile
    var fileSize: Int { file.size }

    init(url: URL) throws(PhotoError) {
        file = try PhotoFile(url)
    }

    init(file: PhotoFile) { self.file = file }

    func bytes(at offset: Int, count: Int) -> [UInt8] { file.bytes(at: offset, count: count) }

    func read(_ url: URL) throws(PhotoError) -> ImageHeader {
        let head = bytes(at: 0, count: 64)
        let parsed: ImageHeader?
        switch Self.sniff(head) {
        case .jpeg?: parsed = parseJPEG()
        case .png?: parsed = Self.parsePNG(head)
        case .webp?: parsed = Self.parseWebP(head)
        case .bmp?: parsed = Self.parseBMP(head)
        case .tiff?: parsed = parseTIFF(url)
        case nil: throw PhotoError(url, Self.describeUnknown(head))
        }
        guard let header = parsed else {
            throw PhotoError(url, "truncated or corrupt \(Self.sniff(head)!.rawValue.uppercased()) header")
        }
        guard header.width > 0, header.height > 0 else {
            throw PhotoError(url, "header gives an empty image (\(header.width)x\(header.height))")
        }
        guard header.width <= ImageHeader.maxSide, header.height <= ImageHeader.maxSide else {
            throw PhotoError(url, "too large: the header claims \(header.width)x\(header.height) pixels "
                             + "(no decoder takes more than \(ImageHeader.maxSide) a side)")
        }
        return header
    }

    // MARK: Format detection

    static func sniff(_ b: [UInt8]) -> ImageHeader.Format? {
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        if b.starts(with: Array("BM".utf8)) { return .bmp }
        if b.starts(with: [0x49, 0x49, 0x2A, 0x00]) || b.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            return .tiff
        }
        return nil
    }

    /// A reason that tells the user what the file is instead, where we can tell.
    static func describeUnknown(_ b: [UInt8]) -> String {
        if b.starts(with: Array("GIF8".utf8)) { return "GIF images are not supported (convert it to PNG)" }
        if b.count >= 12, Array(b[4..<12]) == Array("ftypheic".utf8) || Array(b[4..<12]) == Array("ftypavif".utf8) {
            return "HEIC/AVIF images are not supported (convert it to JPEG)"
        }
        if b.starts(with: Array("<svg".utf8)) || b.starts(with: Array("<?xml".utf8)) {
            return "not a photo (SVG/XML text)"
        }
        if b.starts(with: Array("<!DOCTYPE".utf8)) || b.starts(with: Array("<html".utf8)) {
            return "not an image (an HTML page)"
        }
        let printable = b.filter { $0 == 9 || $0 == 10 || $0 == 13 || (32...126).contains($0) || $0 >= 0x80 }
        if !b.isEmpty && printable.count == b.count { return "not an image (looks like text)" }
        return "not an image (unrecognised format)"
    }

    // MARK: Per-format size fields

    static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i + 1]) << 8 | Int(b[i]) }
    static func be32(_ b: [UInt8], _ i: Int) -> Int { be16(b, i) << 16 | be16(b, i + 2) }
    static func le32(_ b: [UInt8], _ i: Int) -> Int { le16(b, i + 2) << 16 | le16(b, i) }

    static func parsePNG(_ b: [UInt8]) -> ImageHeader? {
        guard b.count >= 29, Array(b[12..<16]) == Array("IHDR".utf8) else { return nil }
        var header = ImageHeader(format: .png, width: be32(b, 16), height: be32(b, 20))
        // Colour type 3 (palette) may carry transparency: count it as RGBA.
        header.channels = [0: 1, 2: 3, 3: 4, 4: 4, 6: 4][Int(b[25])] ?? 4
        header.sampleBytes = b[24] > 8 ? 2 : 1
        header.interlaced = b[28] != 0
        return header
    }

    static func parseBMP(_ b: [UInt8]) -> ImageHeader? {
        guard b.count >= 26 else { return nil }
        let width = Int(Int32(bitPattern: UInt32(le32(b, 18))))
        let height = Int(Int32(bitPattern: UInt32(le32(b, 22))))  // negative: stored top-down
        var header = ImageHeader(format: .bmp, width: width, height: abs(height))  // Int: abs(Int32.min) fits
        header.channels = b.count >= 30 && le16(b, 28) == 32 ? 4 : 3
        return header
    }

    static func parseWebP(_ b: [UInt8]) -> ImageHeader? {
        guard b.count >= 30 else { return nil }
        switch String(decoding: b[12..<16], as: UTF8.self) {
        case "VP8 ":
            return ImageHeader(format: .webp, width: le16(b, 26) & 0x3FFF, height: le16(b, 28) & 0x3FFF)
        case "VP8L":
            let bits = le32(b, 21)
            var header = ImageHeader(format: .webp, width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1)
            header.channels = 4
            return header
        case "VP8X":
            let w = Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16
            let h = Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16
            var header = ImageHeader(format: .webp, width: w + 1, height: h + 1)
            header.channels = 4
            return header
        default:
            return nil
        }
    }

    /// Walks JPEG segments up to the first frame header, picking up the EXIF orientation on the way.
    func parseJPEG() -> ImageHeader? {
        var offset = 2
        var orientation = 1
        var size: (Int, Int)? = nil
        var components = 3
        var progressive = false
        while offset + 4 <= min(fileSize, Self.jpegScanLimit) {
            let marker = bytes(at: offset, count: 4)
            guard marker.count == 4, marker[0] == 0xFF else { return nil }
            let type = marker[1]
            if type == 0xFF { offset += 1; continue }  // fill byte
            if type == 0xD8 || (0xD0...0xD7).contains(type) || type == 0x01 { offset += 2; continue }
            let length = Self.be16(marker, 2)
            guard length >= 2 else { return nil }
            let isFrame = (0xC0...0xCF).contains(type) && ![0xC4, 0xC8, 0xCC].contains(type)
            if isFrame {
                let frame = bytes(at: offset + 4, count: 6)
                guard frame.count == 6 else { return nil }
                size = (Self.be16(frame, 3), Self.be16(frame, 1))
                components = Int(frame[5])
                // Progressive and multi-scan frames keep every coefficient until the end.
                progressive = ![0xC0, 0xC1].contains(type)
            } else if type == 0xE1 {
                let app1 = bytes(at: offset + 4, count: min(length - 2, 65_533))
                if let o = Self.exifOrientation(app1) { orientation = o }
            } else if type == 0xDA {  // start of scan: the header is over
                guard let (w, h) = size else { return nil }
                var header = ImageHeader(format: .jpeg, width: w, height: h, orientation: orientation)
                header.jpegScanOffset = offset + 2 + length
                header.channels = components
                header.interlaced = progressive
                return header
            }
            offset += 2 + length
        }
        return nil
    }

    /// Orientation from an APP1 payload ("Exif\0\0" + TIFF structure).
    static func exifOrientation(_ app1: [UInt8]) -> Int? {
        guard app1.count > 14, app1.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
        return tiffOrientation(Array(app1[6...]))
    }

    /// Reads tag 0x0112 from the first IFD of a TIFF structure held in `t`.
    static func tiffOrientation(_ t: [UInt8]) -> Int? {
        tiffTags(t, wanted: [0x0112])[0x0112].flatMap { (1...8).contains($0) ? $0 : nil }
    }

    /// The first IFD's SHORT/LONG values for the `wanted` tags.
    static func tiffTags(_ t: [UInt8], wanted: Set<Int>) -> [Int: Int] {
        guard t.count >= 8 else { return [:] }
        let little = t[0] == 0x49
        let u16 = { (i: Int) -> Int in little ? le16(t, i) : be16(t, i) }
        let u32 = { (i: Int) -> Int in little ? le32(t, i) : be32(t, i) }
        let ifd = u32(4)
        guard ifd + 2 <= t.count else { return [:] }
        var found: [Int: Int] = [:]
        for entry in 0..<u16(ifd) {
            let e = ifd + 2 + entry * 12
            guard e + 12 <= t.count else { break }
            let tag = u16(e)
            guard wanted.contains(tag) else { continue }
            switch u16(e + 2) {
            case 3: found[tag] = u16(e + 8)   // SHORT
            case 4: found[tag] = u32(e + 8)   // LONG
            default: break
            }
        }
        return found
    }

    func parseTIFF(_ url: URL) -> ImageHeader? {
        // The first IFD can sit anywhere; read a generous window from its offset.
        let head = bytes(at: 0, count: 8)
        guard head.count == 8 else { return nil }
        let little = head[0] == 0x49
        let ifd = little ? Self.le32(head, 4) : Self.be32(head, 4)
        let window = bytes(at: ifd, count: 2 + 12 * 64)
        guard window.count >= 2 else { return nil }
        // Re-base the IFD at offset 8 of a synthetic TIFF header so `tiffTags` can read it.
        let synthetic = Array(head[0..<4]) + (little ? [8, 0, 0, 0] : [0, 0, 0, 8]) + window
        let tags = Self.tiffTags(synthetic, wanted: [256, 257, 258, 277, 0x0112])
        guard let w = tags[256], let h = tags[257] else { return nil }
        var header = ImageHeader(format: .tiff, width: w, height: h, orientation: tags[0x0112] ?? 1)
        // BitsPerSample with several values holds an offset here: then assume 16 bits.
        header.channels = min(max(tags[277] ?? 3, 1), 4)
        let bits = tags[258] ?? 8
        header.sampleBytes = !(1...64).contains(bits) ? 2 : bits <= 8 ? 1 : bits <= 16 ? 2 : 4
        return header
    }
}
