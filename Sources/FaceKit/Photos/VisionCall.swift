import CVision

/// An error reported by the OpenCV shim, carrying its one-line message.
public struct VisionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Calls into CVision with an error buffer and turns a non-zero status into a `VisionError`.
enum VisionCall {
    static let messageCapacity = 512

    static func status(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var buffer = [CChar](repeating: 0, count: messageCapacity)
        let code = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, messageCapacity) }
        if code != 0 { throw VisionError(text(buffer)) }
    }

    /// Runs a call that returns a handle, or nil with a message.
    static func open(_ body: (UnsafeMutablePointer<CChar>, Int) -> OpaquePointer?) throws -> OpaquePointer {
        var buffer = [CChar](repeating: 0, count: messageCapacity)
        let handle = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, messageCapacity) }
        guard let handle else { throw VisionError(text(buffer)) }
        return handle
    }

    static func text(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs a call that fills a `cvision_image` and copies the result into an `RGBImage`.
    static func image(
        _ body: (UnsafeMutablePointer<cvision_image>, UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws -> RGBImage {
        var raw = cvision_image(width: 0, height: 0, pixels: nil)
        defer { cvision_image_free(&raw) }
        try status { err, len in body(&raw, err, len) }
        let w = Int(raw.width), h = Int(raw.height)
        let pixels = [UInt8](UnsafeBufferPointer(start: raw.pixels, count: w * h * 3))
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    /// A detector's coordinate as whole pixels; NaN and out-of-range values (a network's output on
    /// a hostile image) become 0 or are clamped instead of trapping in `Int(_:)`.
    static func pixel(_ value: Float) -> Int {
        guard value.isFinite else { return 0 }
        return Int(min(max(value.rounded(), -1e9), 1e9))
    }

    /// Runs a detector call and converts its malloc'd boxes.
    static func boxes(
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<cvision_box>?>, UnsafeMutablePointer<Int32>,
                 UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws -> [FaceBox] {
        var raw: UnsafeMutablePointer<cvision_box>? = nil
        var count: Int32 = 0
        defer { cvision_boxes_free(raw) }
        try status { err, len in body(&raw, &count, err, len) }
        return (0..<Int(count)).map { i in
            let b = raw![i]
            let points = withUnsafeBytes(of: b.landmarks) { Array($0.bindMemory(to: Float.self)) }
            return FaceBox(x: pixel(b.x), y: pixel(b.y), width: pixel(b.width), height: pixel(b.height),
                           score: b.score < 0 ? nil : Double(b.score),
                           landmarks: b.has_landmarks != 0 && points.allSatisfy(\.isFinite) ? points : nil)
        }
    }
}
