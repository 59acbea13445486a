import CVision
import Foundation

/// OpenCV's YuNet DNN face detector (`face_detection_yunet_2022mar.onnx`; the 2023 model needs
/// OpenCV 4.8). Finds profile and small faces Haar misses, and gives each a score.
///
/// It searches coarse to fine: first the photo shrunk to `coarseLongSide` (YuNet's training
/// scale; a quarter of the work of the fine size), and again at `fineLongSide` only when the
/// coarse search found no face or a small one (under `smallFace` pixels there): a photo whose
/// faces are all large gains nothing from the fine search, while one with small faces (a group,
/// a crowd) or with none gets both. Each size has its own network, so neither re-plans its input.
public final class YuNetDetector: FaceDetector, @unchecked Sendable {
    /// Faces down to about 10 px at the fine size are found: 0.8% of a photo's longer side.
    static let fineLongSide = 1280
    static let coarseLongSide = 640
    /// A face under this many pixels in the coarse search means smaller ones may have been missed.
    static let smallFace = 32

    public let name = "yunet"
    public var workingLongSide: Int? { Self.fineLongSide }
    public let scoreThreshold: Float

    /// Both searches of a photo, one caller at a time (the networks keep per-input-size state).
    private let coarse: OpaquePointer
    private let fine: OpaquePointer
    private let lock = NSLock()

    public init(modelPath: String, scoreThreshold: Float = 0.9) throws {
        guard FileManager.default.isReadableFile(atPath: modelPath) else {
            throw VisionError("YuNet model not found or unreadable: \(modelPath)")
        }
        func open() throws -> OpaquePointer {
            do {
                return try VisionCall.open { cvision_yunet_open(modelPath, scoreThreshold, 0.3, $0, $1) }
            } catch {
                throw VisionError("\(modelPath) is not a usable YuNet model: \(error)")
            }
        }
        coarse = try open()
        do { fine = try open() } catch { cvision_yunet_close(coarse); throw error }
        self.scoreThreshold = scoreThreshold
    }

    deinit {
        cvision_yunet_close(coarse)
        cvision_yunet_close(fine)
    }

    public func detect(in image: RGBImage) throws -> [FaceBox] {
        guard image.width > 0, image.height > 0 else { return [] }
        let longest = max(image.width, image.height)
        lock.lock()
        defer { lock.unlock() }
        guard longest > Self.coarseLongSide else { return try search(image, network: fine, longSide: longest) }
        let found = try search(image, network: coarse, longSide: Self.coarseLongSide)
        let smallest = Self.smallFace * longest / Self.coarseLongSide
        guard found.isEmpty || found.contains(where: { min($0.width, $0.height) < smallest }) else { return found }
        let finer = try search(image, network: fine, longSide: min(longest, Self.fineLongSide))
        // A face the fine search scored under the threshold but the coarse one did not stays.
        return finer + found.filter { face in !finer.contains { $0.iou(face) > 0.3 } }
    }

    /// YuNet's boxes in `image`'s pixels, searched at `longSide` (never enlarged).
    private func search(_ image: RGBImage, network: OpaquePointer, longSide: Int) throws -> [FaceBox] {
        let longest = max(image.width, image.height)
        let workScale = longest > longSide ? Double(longSide) / Double(longest) : 1
        return try VisionCall.boxes { boxes, count, err, len in
            image.pixels.withUnsafeBufferPointer {
                cvision_yunet_detect(network, $0.baseAddress, Int32(image.width), Int32(image.height),
                                     workScale, boxes, count, err, len)
            }
        }
    }
}
