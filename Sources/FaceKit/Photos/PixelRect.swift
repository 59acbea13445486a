/// A rectangle of a photo's upright pixels (a region to decode at full size).
public struct PixelRect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The part of `box`'s rectangle inside the image.
    public init(_ box: FaceBox) { self.init(x: box.x, y: box.y, width: box.width, height: box.height) }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var pixelCount: Int { isEmpty ? 0 : Checked.product(width, height) }

    /// The part inside a `width` x `height` image (empty when they do not overlap).
    public func clamped(width w: Int, height h: Int) -> PixelRect {
        let x0 = min(max(x, 0), w), y0 = min(max(y, 0), h)
        let x1 = min(max(x + width, x0), w), y1 = min(max(y + height, y0), h)
        return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
