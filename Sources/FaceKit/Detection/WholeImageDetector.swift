/// For photos that already are face crops (`--already-cropped`, kpop-crops14): the whole image
/// is the face. With YuNet it also finds the five landmarks, on a copy with a 25% black border
/// on every side (YuNet needs context around a face; with it 344 of kpop-crops14's 345 crops
/// give landmarks), so such photos can be aligned like detected faces.
public struct WholeImageDetector: FaceDetector {
    public static let borderFraction = 0.25

    public let name = "already-cropped"
    private let landmarks: YuNetDetector?

    public init(landmarks: YuNetDetector?) { self.landmarks = landmarks }

    public func detect(in image: RGBImage) throws -> [FaceBox] {
        guard image.width > 0, image.height > 0 else { return [] }
        let whole = FaceBox(x: 0, y: 0, width: image.width, height: image.height)
        guard let landmarks else { return [whole] }
        let padX = Int((Double(image.width) * Self.borderFraction).rounded())
        let padY = Int((Double(image.height) * Self.borderFraction).rounded())
        let padded = image.padded(horizontally: padX, vertically: padY)
        // The face is the largest detection whose centre lies inside the original image.
        let inside = try landmarks.detect(in: padded).filter { box in
            let cx = box.x + box.width / 2 - padX, cy = box.y + box.height / 2 - padY
            return box.landmarks != nil && (0..<image.width).contains(cx) && (0..<image.height).contains(cy)
        }
        guard let face = inside.max(by: { $0.area < $1.area }), let points = face.landmarks else { return [whole] }
        let shifted = points.enumerated().map { i, v in v - Float(i % 2 == 0 ? padX : padY) }
        return [FaceBox(x: 0, y: 0, width: image.width, height: image.height, score: face.score, landmarks: shifted)]
    }
}

extension RGBImage {
    /// A copy with a black border of the given widths on each side.
    func padded(horizontally dx: Int, vertically dy: Int) -> RGBImage {
        let w = width + 2 * dx, h = height + 2 * dy
        var out = [UInt8](repeating: 0, count: w * h * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<height {
                    (dst.baseAddress! + ((row + dy) * w + dx) * 3)
                        .update(from: src.baseAddress! + row * width * 3, count: width * 3)
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }
}
