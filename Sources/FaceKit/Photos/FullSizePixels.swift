/// Where a photo's full-size pixels come from for crops: the decoded image itself when it is at
/// full size, or the file, region by region (`PhotoRegions`), when detection had a reduced one.
public protocol FullSizePixels {
    /// The upright full size.
    var fullWidth: Int { get }
    var fullHeight: Int { get }
    /// The pixels of each rectangle (each non-empty and inside the photo), at full size.
    func regions(_ rects: [PixelRect]) throws -> [RGBImage]
    /// The reduced decode these pixels come with, if any (crops that need no more are cut from it).
    var reducedDecode: DecodedPhoto? { get }
}

extension RGBImage: FullSizePixels {
    public var fullWidth: Int { width }
    public var fullHeight: Int { height }
    public var reducedDecode: DecodedPhoto? { nil }

    public func regions(_ rects: [PixelRect]) throws -> [RGBImage] {
        rects.map { cropped(to: FaceBox(x: $0.x, y: $0.y, width: $0.width, height: $0.height)) }
    }
}
