/// Arithmetic on sizes read from files: saturates at `Int.max` instead of trapping (a header may
/// claim 4294967295 x 4294967295; Swift's `*` would kill the process).
enum Checked {
    static func product(_ values: Int...) -> Int {
        var result = 1
        for v in values {
            guard v >= 0 else { return 0 }
            let (p, overflow) = result.multipliedReportingOverflow(by: v)
            if overflow { return Int.max }
            result = p
        }
        return result
    }

    static func sum(_ values: Int...) -> Int {
        var result = 0
        for v in values {
            let (s, overflow) = result.addingReportingOverflow(max(v, 0))
            if overflow { return Int.max }
            result = s
        }
        return result
    }

    /// ceil(a / b) for a >= 0, b > 0, without overflow.
    static func ceilDiv(_ a: Int, _ b: Int) -> Int { a / b + (a % b == 0 ? 0 : 1) }
}

/// How a photo is decoded and what that costs in bytes at its peak.
public struct DecodePlan: Sendable, Equatable {
    /// Each side is divided by this (1, 2, 4 or 8): JPEG by DCT scaling, the others by averaging.
    public var reduction: Int
    /// The upright size of the image the decode gives.
    public var width: Int
    public var height: Int
    /// The decode's peak plus the caller's work on the result (`DecodeBudget.workBytesPerPixel`).
    public var bytes: Int
}

/// The bytes a decode may use, and the cost model that decides whether a photo fits, at which
/// reduction, or is refused. Every estimate is in bytes at the peak, not pixels:
/// - the file's bytes (read whole; WebP's decoder copies them once more),
/// - what the decoder must hold at once: for OpenCV's decoders (BMP, TIFF, WebP) the whole image at
///   its stored depth and channels, for an interlaced PNG its whole expanded image, for a
///   progressive JPEG its DCT coefficients (2 bytes a sample); baseline JPEG and plain PNG are
///   decoded row by row,
/// - the 8-bit RGB result (3 bytes a pixel, at the reduced size),
/// - what the caller makes from the result (`workBytesPerPixel` a pixel plus `workBytes`: the
///   detector's grey or BGR copy, Haar's pyramid for the write-up's preset).
public struct DecodeBudget: Sendable, Equatable {
    public static let reductions = [1, 2, 4, 8]

    /// Bytes per result pixel the caller needs after decoding (detector copies and the like).
    public var workBytesPerPixel: Int
    /// Bytes the caller needs whatever the size (a detector's fixed working image).
    public var workBytes: Int

    public init(workBytesPerPixel: Int = 2, workBytes: Int = 0) {
        self.workBytesPerPixel = workBytesPerPixel
        self.workBytes = workBytes
    }

    /// The peak bytes of decoding `header` (a file of `fileBytes`) at 1/`reduction`.
    public func cost(_ header: ImageHeader, fileBytes: Int, reduction: Int) -> Int {
        let w = header.width, h = header.height, r = max(reduction, 1)
        let rw = Checked.ceilDiv(max(w, 0), r), rh = Checked.ceilDiv(max(h, 0), r)
        let stored = Checked.product(w, h, header.channels, header.sampleBytes)
        let held: Int
        var encoded = fileBytes
        switch header.format {
        case .jpeg: held = header.interlaced ? Checked.product(w, h, header.channels, 2) : 0
        case .png: held = header.interlaced ? stored : 0
        case .webp: held = stored; encoded = Checked.sum(fileBytes, fileBytes)
        case .bmp, .tiff: held = stored
        }
        let rows = Checked.product(w, max(header.channels, 3), header.sampleBytes, 64)  // bands, row buffers
        let result = Checked.product(rw, rh, 3)
        let work = Checked.sum(Checked.product(rw, rh, workBytesPerPixel), workBytes)
        return Checked.sum(encoded, held, rows, result, work)
    }

    /// The plan for `header` within `available` bytes: full size if it fits, else (when
    /// `allowReduction`) the smallest reduction that fits; nil if none does.
    public func plan(_ header: ImageHeader, fileBytes: Int, available: Int, allowReduction: Bool) -> DecodePlan? {
        plan(header, fileBytes: fileBytes, available: available, maxPixels: Int.max,
             minimumLongSide: allowReduction ? Int.max : nil)
    }

    /// The plan for `header` within `available` bytes and `maxPixels` decoded pixels: the largest
    /// reduction whose upright longer side is still at least `minimumLongSide` (nil: full size
    /// only; Int.max: full size unless it does not fit), or the next that fits; nil if none does.
    public func plan(_ header: ImageHeader, fileBytes: Int, available: Int, maxPixels: Int, minimumLongSide: Int?) -> DecodePlan? {
        let first = minimumLongSide.map { Self.reduction(keepingLongSide: $0, of: header) } ?? 1
        for r in Self.reductions where r >= first && (minimumLongSide != nil || r == 1) {
            let upright = header.uprightSize
            let width = Checked.ceilDiv(upright.width, r), height = Checked.ceilDiv(upright.height, r)
            guard Checked.product(width, height) <= maxPixels else { continue }
            let bytes = cost(header, fileBytes: fileBytes, reduction: r)
            guard bytes <= available else { continue }
            return DecodePlan(reduction: r, width: width, height: height, bytes: bytes)
        }
        return nil
    }

    /// The largest of `reductions` that leaves the longer side at least `side` pixels (1 if none).
    public static func reduction(keepingLongSide side: Int, of header: ImageHeader) -> Int {
        let longest = max(header.width, header.height)
        return reductions.last { Checked.ceilDiv(longest, $0) >= side } ?? 1
    }

    /// The peak bytes of decoding full-size regions of `pixels` pixels in all (`PhotoRegions`):
    /// the file, what the decoder holds (OpenCV's decoders: the whole image), its row buffers and
    /// the regions' RGB.
    public func regionCost(_ header: ImageHeader, fileBytes: Int, pixels: Int) -> Int {
        let w = header.width, h = header.height
        let stored = Checked.product(w, h, header.channels, header.sampleBytes)
        let held: Int
        switch header.format {
        case .jpeg: held = header.interlaced ? Checked.product(w, h, header.channels, 2) : 0
        case .png: held = header.interlaced ? stored : 0
        case .webp, .bmp, .tiff: held = stored
        }
        let rows = Checked.product(w, max(header.channels, 3), header.sampleBytes, 64)
        return Checked.sum(fileBytes, held, rows, Checked.product(pixels, 3))
    }
}
