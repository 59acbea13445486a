import CVision
import Foundation

/// Turns a photo file into an upright `RGBImage`, or a `PhotoError` saying why not.
///
/// The header is read first and a decode is planned from it before any pixel data is read: at
/// most `maxPixels` are decoded at once (a decompression bomb, or a 200 MP photo, is decoded at
/// 1/2, 1/4 or 1/8 a side where the caller allows it, and refused where it needs full size), and
/// the plan is in bytes (`DecodeBudget`) against the process's photo memory
/// (`MemoryReservations`): a photo that does not fit is decoded smaller where the caller allows
/// it, or refused with the bytes it needs. Detection asks for the size its detector works at
/// (`decode(_:minimumLongSide:)`); crops then take full-size pixels from the file, region by region
/// (`fullSizePixels(_:of:)`).
public struct PhotoLoader: Sendable {
    public static let defaultMaxPixels = 100_000_000

    /// The most pixels one decode gives (the result image, at the size decoded).
    public let maxPixels: Int
    /// What the caller needs per decoded pixel after the decode (detectors' copies).
    public var budget = DecodeBudget()
    let memory: MemoryReservations

    public init(maxPixels: Int = PhotoLoader.defaultMaxPixels) {
        self.init(maxPixels: maxPixels, memory: .shared)
    }

    /// `memory`: the reservations decodes share (tests give a small one).
    public init(maxPixels: Int = PhotoLoader.defaultMaxPixels, memory: MemoryReservations) {
        self.maxPixels = maxPixels
        self.memory = memory
    }

    /// The header alone: format, size and orientation.
    public func header(of url: URL) throws(PhotoError) -> ImageHeader {
        try ImageHeaderReader(url: url).read(url)
    }

    /// The photo at full size, or a refusal.
    public func load(_ url: URL) throws(PhotoError) -> RGBImage {
        try decode(url, allowReduction: false).image
    }

    /// Like `load(_:)` with the file's bytes already read (`contents` must be the whole file).
    public func load(_ url: URL, contents: Data) throws(PhotoError) -> RGBImage {
        let file = try PhotoFile(url)
        let header = try readHeader(file, url)
        let plan = try self.plan(header, file: file, url: url, allowReduction: false)
        return try memory.holding(plan.bytes) { () throws(PhotoError) in
            try decode(url, header: header, plan: plan, data: contents)
        }.image
    }

    /// The photo, reduced (1/2, 1/4, 1/8 a side) when `allowReduction` and the full size does not
    /// fit the memory budget or the pixel limit. Memory is reserved while decoding only.
    public func decode(_ url: URL, allowReduction: Bool) throws(PhotoError) -> DecodedPhoto {
        let file = try PhotoFile(url)
        let header = try readHeader(file, url)
        let plan = try self.plan(header, file: file, url: url, allowReduction: allowReduction)
        return try memory.holding(plan.bytes) { () throws(PhotoError) in
            try decode(url, header: header, plan: plan, data: try file.contents())
        }
    }

    /// The file's header and bytes, read once for a reduced decode and the full-size regions after it.
    public func open(_ url: URL, contents: Data? = nil) throws(PhotoError) -> EncodedPhoto {
        let file = try PhotoFile(url)
        let header = try readHeader(file, url)
        guard file.size <= memory.capacity else {
            throw PhotoError(url, "too large a file: \(ByteCount.text(file.size)), more than the "
                             + "\(ByteCount.text(memory.capacity)) TribeLens allows itself for photos (docs/reliability.md)")
        }
        let data: Data
        if let contents { data = contents } else { data = try file.contents() }
        return EncodedPhoto(url: url, header: header, data: data)
    }

    /// `photo` at the largest reduction (1, 2, 4 or 8 a side) whose longer side is still at least
    /// `minimumLongSide` (nil: full size), or more reduced when that does not fit the memory budget
    /// or the pixel limit. JPEG is reduced by libjpeg's DCT scaling, the others once, by averaging.
    public func decode(_ photo: EncodedPhoto, minimumLongSide: Int?) throws(PhotoError) -> DecodedPhoto {
        let plan = try self.plan(photo.header, fileBytes: photo.data.count, url: photo.url, minimumLongSide: minimumLongSide)
        return try memory.holding(plan.bytes) { () throws(PhotoError) in
            try decode(photo.url, header: photo.header, plan: plan, data: photo.data)
        }
    }

    /// Runs `body` on `photo` decoded as `decode(_:minimumLongSide:)` does, with its memory reserved
    /// until `body` returns.
    public func withPhoto<R>(_ photo: EncodedPhoto, minimumLongSide: Int?, _ body: (DecodedPhoto) throws -> R) throws -> R {
        let plan = try self.plan(photo.header, fileBytes: photo.data.count, url: photo.url, minimumLongSide: minimumLongSide)
        return try memory.holding(plan.bytes) { () throws -> R in
            try body(try decode(photo.url, header: photo.header, plan: plan, data: photo.data))
        }
    }

    /// Full-size pixels for the crops of a photo decoded from `photo`: `decoded`'s own pixels at
    /// full size, else regions decoded from the file (`PhotoRegions`).
    public func fullSizePixels(_ decoded: DecodedPhoto, of photo: EncodedPhoto) -> any FullSizePixels {
        decoded.reduction == 1 ? decoded.image : PhotoRegions(loader: self, photo: photo, reduced: decoded)
    }

    /// Runs `body` on the decoded photo with its memory reserved until `body` returns, so that
    /// workers decoding at the same time stay within the ceiling together (dataset extraction).
    public func withPhoto<R>(_ url: URL, allowReduction: Bool = false, contents: Data? = nil,
                             _ body: (DecodedPhoto) throws -> R) throws -> R {
        let file = try PhotoFile(url)
        let header = try readHeader(file, url)
        let plan = try self.plan(header, file: file, url: url, allowReduction: allowReduction)
        return try memory.holding(plan.bytes) { () throws -> R in
            try body(try decode(url, header: header, plan: plan, data: try contents ?? file.contents()))
        }
    }

    /// A photo file's bytes (for hashing), opened by its raw name; refused when it is not a
    /// regular file or larger than the memory photos may use.
    public func contents(of url: URL) throws(PhotoError) -> Data {
        let file = try PhotoFile(url)
        guard file.size <= memory.capacity else {
            throw PhotoError(url, "too large a file: \(ByteCount.text(file.size)), more than the "
                             + "\(ByteCount.text(memory.capacity)) TribeLens allows itself for photos (docs/reliability.md)")
        }
        return try file.contents()
    }

    // MARK: - Steps

    private func readHeader(_ file: PhotoFile, _ url: URL) throws(PhotoError) -> ImageHeader {
        try ImageHeaderReader(file: file).read(url)
    }

    func plan(_ header: ImageHeader, file: PhotoFile, url: URL, allowReduction: Bool) throws(PhotoError) -> DecodePlan {
        guard file.size <= memory.capacity else {
            throw PhotoError(url, "too large a file: \(ByteCount.text(file.size)), more than the "
                             + "\(ByteCount.text(memory.capacity)) TribeLens allows itself for photos (docs/reliability.md)")
        }
        // Int.max: as large as fits (full size unless the budget or the pixel limit says otherwise).
        return try plan(header, fileBytes: file.size, url: url, minimumLongSide: allowReduction ? Int.max : nil)
    }

    /// The plan for decoding `header` at the size `minimumLongSide` asks for (nil: full size only).
    func plan(_ header: ImageHeader, fileBytes: Int, url: URL, minimumLongSide: Int?) throws(PhotoError) -> DecodePlan {
        if let plan = budget.plan(header, fileBytes: fileBytes, available: memory.capacity, maxPixels: maxPixels,
                                  minimumLongSide: minimumLongSide) {
            return plan
        }
        let reducible = minimumLongSide != nil
        let smallest = reducible ? DecodeBudget.reductions.last! : 1
        let pixels = Checked.product(Checked.ceilDiv(header.width, smallest), Checked.ceilDiv(header.height, smallest))
        if pixels > maxPixels {
            let mp = Double(header.pixelCount) / 1e6, limit = Double(maxPixels) / 1e6
            throw PhotoError(url, "too large: \(header.width)x\(header.height) is "
                             + "\(mp.formatted(1)) MP, over the \(limit.formatted(0)) MP limit\(reducible ? " even at 1/8 size" : "")")
        }
        let need = budget.cost(header, fileBytes: fileBytes, reduction: smallest)
        throw PhotoError(url, "too large for the memory budget: \(header.width)x\(header.height) "
                         + "\(header.format.rawValue.uppercased()) needs about \(ByteCount.text(need))"
                         + "\(reducible ? " even at 1/8 size" : "") and TribeLens allows itself "
                         + "\(ByteCount.text(memory.capacity)) for photos (docs/reliability.md)")
    }

    private func decode(_ url: URL, header: ImageHeader, plan: DecodePlan, data: Data) throws(PhotoError) -> DecodedPhoto {
        if let scan = header.jpegScanOffset, !Self.hasEndOfImage(data, after: scan) {
            throw PhotoError(url, "truncated JPEG (the file ends before the image data does)")
        }
        let count = Checked.product(plan.width, plan.height, 3)
        guard count < Int.max, MemoryProbe.canAllocate(count) else {
            throw PhotoError(url, "not enough memory to decode \(header.width)x\(header.height) "
                             + "(\(ByteCount.text(count)) for the pixels)")
        }
        let format = Self.visionFormat(header.format)
        var status: Int32 = 0
        var found = (Int32(0), Int32(0))
        var warningCount: Int32 = 0
        var warning = [CChar](repeating: 0, count: VisionCall.messageCapacity)
        var message = [CChar](repeating: 0, count: VisionCall.messageCapacity)
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialised in
            status = data.withUnsafeBytes { raw in
                warning.withUnsafeMutableBufferPointer { w in
                    message.withUnsafeMutableBufferPointer { m in
                        cvision_decode_into(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, format,
                                            Int32(header.width), Int32(header.height), Int32(header.orientation),
                                            Int32(plan.reduction), buffer.baseAddress, count, &found.0, &found.1,
                                            w.baseAddress, w.count, &warningCount, m.baseAddress, m.count)
                    }
                }
            }
            initialised = status == 0 ? count : 0
        }
        let reason = VisionCall.text(message)
        switch Int(status) {
        case Int(CVISION_DECODE_OK):
            break
        case Int(CVISION_DECODE_SIZE_MISMATCH):
            let upright = header.uprightSize
            let decoded = header.orientation >= 5 ? (found.1, found.0) : (found.0, found.1)
            throw PhotoError(url, "corrupt image: decoded \(decoded.0)x\(decoded.1) but "
                             + "the header says \(upright.width)x\(upright.height)")
        case Int(CVISION_DECODE_NO_MEMORY):
            throw PhotoError(url, "not enough memory to decode \(header.width)x\(header.height) (\(reason))")
        default:
            throw PhotoError(url, "corrupt or truncated \(header.format.rawValue.uppercased()) data (\(reason))")
        }
        let upright = header.uprightSize
        return DecodedPhoto(image: RGBImage(width: plan.width, height: plan.height, pixels: pixels),
                            reduction: plan.reduction, fullWidth: upright.width, fullHeight: upright.height,
                            warning: warningCount > 0 ? Self.warningText(VisionCall.text(warning), count: Int(warningCount),
                                                                          format: header.format) : nil)
    }

    static func visionFormat(_ format: ImageHeader.Format) -> Int32 {
        format == .jpeg ? Int32(CVISION_DECODE_JPEG) : format == .png ? Int32(CVISION_DECODE_PNG) : Int32(CVISION_DECODE_OTHER)
    }

    /// A decoder's warnings in one line of our own words.
    static func warningText(_ first: String, count: Int, format: ImageHeader.Format) -> String {
        let more = count > 1 ? " (and \(count - 1) more)" : ""
        return "damaged \(format.rawValue.uppercased()) data, decoded anyway; the decoder said: \(first)\(more)"
    }

    /// Whether an EOI marker (FF D9) follows the first scan. Entropy-coded data stuffs every FF
    /// byte, so FF D9 after the scan start is a real marker, never image data.
    static func hasEndOfImage(_ data: Data, after scan: Int) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = bytes.count - 1
            while i > scan {
                if bytes[i] == 0xD9 && bytes[i - 1] == 0xFF { return true }
                i -= 1
            }
            return false
        }
    }
}

/// A decoded photo and how it relates to the file: `image` is the file's upright picture divided
/// by `reduction` a side, so a box found in it is multiplied by `reduction` (`fullSizeBox`) to
/// give the file's pixels.
public struct DecodedPhoto: Sendable {
    public var image: RGBImage
    public var reduction: Int
    public var fullWidth: Int
    public var fullHeight: Int
    /// The decoder's complaints about a photo it still decoded ("Corrupt JPEG data"), in one line.
    public var warning: String?

    /// `box` (in `image`'s pixels) in the file's upright pixels. Pixel i of the reduced image
    /// covers full pixels [i r, (i + 1) r): box edges scale by r; a landmark, a point whose pixel
    /// centres sit at integers, maps to (p + 1/2) r - 1/2.
    public func fullSizeBox(_ box: FaceBox) -> FaceBox {
        guard reduction > 1 else { return box }
        let r = reduction
        var out = box
        out.x = box.x * r; out.y = box.y * r; out.width = box.width * r; out.height = box.height * r
        out.landmarks = box.landmarks.map { $0.map { ($0 + 0.5) * Float(r) - 0.5 } }
        return out
    }

    /// `box` (in the file's upright pixels) in `image`'s pixels: the inverse of `fullSizeBox`,
    /// edges rounded outwards.
    public func reducedBox(_ box: FaceBox) -> FaceBox {
        guard reduction > 1 else { return box }
        let r = reduction
        // Boxes may start left of or above the photo: round towards minus infinity.
        func floor(_ a: Int) -> Int { a >= 0 ? a / r : -((r - 1 - a) / r) }
        var out = box
        out.x = floor(box.x); out.y = floor(box.y)
        out.width = -floor(-(box.x + box.width)) - out.x
        out.height = -floor(-(box.y + box.height)) - out.y
        out.landmarks = box.landmarks.map { $0.map { ($0 + 0.5) / Float(r) - 0.5 } }
        return out
    }
}

extension Double {
    func formatted(_ decimals: Int) -> String { String(format: "%.\(decimals)f", self) }
}
