import CVision
import Foundation

/// Turns the faces of a photo into a backend's images: the one crop function behind dataset
/// extraction, the face cache and prediction, so a model always sees what it was trained on.
public enum FaceCrops {
    /// The images of `faces` in `image`, back to back (`faces.count * spec.bytes` bytes).
    public static func make(_ spec: InputSpec, faces: [FaceBox], in image: RGBImage) throws -> [UInt8] {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(faces.count * spec.bytes)
        for face in faces { pixels += try crop(spec, face: face, in: image) }
        return pixels
    }

    /// The same images from full-size pixels that may be decoded region by region
    /// (`PhotoRegions`): each face's crop reads only the rectangle `source` gives, so a crop of
    /// that region equals the crop of the whole photo. A face the reduced decode (the detector's)
    /// already holds at the crop's resolution or finer is cut from that instead: the full-size
    /// pixels would only be shrunk further, and decoding the regions of five faces spread over a
    /// 12 MP photo costs more than the detector's whole decode did.
    public static func make(_ spec: InputSpec, faces: [FaceBox], from pixels: any FullSizePixels) throws -> [UInt8] {
        if let image = pixels as? RGBImage { return try make(spec, faces: faces, in: image) }
        let sources = try faces.map { try source(spec, face: $0) }
        let reduced = pixels.reducedDecode.flatMap { $0.reduction > 1 ? $0 : nil }
        let fromReduced = sources.map { source in reduced.map { source.scale >= Double($0.reduction) } ?? false }
        let rects = sources.map { $0.rect.clamped(width: pixels.fullWidth, height: pixels.fullHeight) }
        var decoded = try pixels.regions(zip(rects, fromReduced).filter { !$0.0.isEmpty && !$0.1 }.map { $0.0 })[...]
        var out: [UInt8] = []
        out.reserveCapacity(faces.count * spec.bytes)
        for (i, face) in faces.enumerated() {
            if let reduced, fromReduced[i] {
                out += try crop(spec, face: reduced.reducedBox(face), in: reduced.image)
            } else if rects[i].isEmpty {
                // Nothing of the photo under it: as on the whole photo (an empty box crop is an
                // error, an aligned crop of nothing is black).
                out += spec.kind == .aligned ? [UInt8](repeating: 0, count: spec.bytes)
                    : try crop(spec, face: face, in: RGBImage(width: 0, height: 0, pixels: []))
            } else {
                out += try crop(spec, face: face.shifted(dx: -rects[i].x, dy: -rects[i].y), in: decoded.removeFirst())
            }
        }
        return out
    }

    /// What `crop` reads for `face`: the rectangle of the photo (not clamped to it), and how many
    /// of the photo's pixels go into one pixel of the crop (above 1 the crop shrinks the face).
    public static func source(_ spec: InputSpec, face: FaceBox) throws -> (rect: PixelRect, scale: Double) {
        switch spec.kind {
        case .boxCrop:
            return (PixelRect(face), Double(min(face.width, face.height)) / Double(spec.side))
        case .aligned:
            let points = face.landmarks ?? estimatedLandmarks(of: face)
            var rect = [Int32](repeating: 0, count: 4)
            var scale = 0.0
            try VisionCall.status { err, len in
                points.withUnsafeBufferPointer { cvision_align_face_source($0.baseAddress, Int32(spec.side), &rect, &scale, err, len) }
            }
            return (PixelRect(x: Int(rect[0]), y: Int(rect[1]), width: Int(rect[2]), height: Int(rect[3])), scale)
        }
    }

    public static func crop(_ spec: InputSpec, face: FaceBox, in image: RGBImage) throws -> [UInt8] {
        switch spec.kind {
        case .boxCrop:
            return try image.cropped(to: face).resized(width: spec.side, height: spec.side).pixels
        case .aligned:
            let points = face.landmarks ?? estimatedLandmarks(of: face)
            var out = [UInt8](repeating: 0, count: spec.bytes)
            try VisionCall.status { err, len in
                image.pixels.withUnsafeBufferPointer { src in
                    points.withUnsafeBufferPointer { lm in
                        out.withUnsafeMutableBufferPointer { dst in
                            cvision_align_face(src.baseAddress, Int32(image.width), Int32(image.height), lm.baseAddress,
                                               Int32(spec.side), dst.baseAddress, err, len)
                        }
                    }
                }
            }
            return out
        }
    }

    /// Where the five landmarks would be if the box framed the face as the alignment template
    /// does: a fallback for faces whose detector gave none (Haar, a crop YuNet could not read).
    static func estimatedLandmarks(of box: FaceBox) -> [Float] {
        var template = [Float](repeating: 0, count: 10)
        cvision_face_template(1, &template)  // fractions of the crop's side
        return template.enumerated().map { i, t in
            i % 2 == 0 ? Float(box.x) + Float(box.width) * t : Float(box.y) + Float(box.height) * t
        }
    }
}

extension FaceBox {
    /// The same face in a region whose origin is at (-dx, -dy) of the photo.
    func shifted(dx: Int, dy: Int) -> FaceBox {
        var out = self
        out.x += dx
        out.y += dy
        out.landmarks = landmarks.map { $0.enumerated().map { i, v in v + Float(i % 2 == 0 ? dx : dy) } }
        return out
    }
}
