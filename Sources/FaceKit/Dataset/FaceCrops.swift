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
