import CVision
import Foundation

/// OpenCV's YuNet DNN face detector (`face_detection_yunet_2022mar.onnx`; the 2023 model needs
/// OpenCV 4.8). Finds profile and small faces Haar misses, and gives each a score.
public final class YuNetDetector: FaceDetector, @unchecked Sendable {
    /// YuNet is trained on faces at roughly this input scale; larger photos are shrunk to it.
    static let workLongestSide = 1280

    public let name = "yunet"
    public var workingLongSide: Int? { Self.workLongestSide }
    public let scoreThreshold: Float

    // FaceDetectorYN keeps per-input-size state: one caller at a time.
    private let handle: OpaquePointer
    private let lock = NSLock()

    public init(modelPath: String, scoreThreshold: Float = 0.9) throws {
        guard FileManager.default.isReadableFile(atPath: modelPath) else {
            throw VisionError("YuNet model not found or unreadable: \(modelPath)")
        }
        do {
            handle = try VisionCall.open { cvision_yunet_open(modelPath, scoreThreshold, 0.3, $0, $1) }
        } catch {
            throw VisionError("\(modelPath) is not a usable YuNet model: \(error)")
        }
        self.scoreThreshold = scoreThreshold
    }

    deinit { cvision_yunet_close(handle) }

    public func detect(in image: RGBImage) throws -> [FaceBox] {
        guard image.width > 0, image.height > 0 else { return [] }
        let longest = max(image.width, image.height)
        let workScale = longest > Self.workLongestSide ? Double(Self.workLongestSide) / Double(longest) : 1
        lock.lock()
        defer { lock.unlock() }
        return try VisionCall.boxes { boxes, count, err, len in
            image.pixels.withUnsafeBufferPointer {
                cvision_yunet_detect(handle, $0.baseAddress, Int32(image.width), Int32(image.height),
                                     workScale, boxes, count, err, len)
            }
        }
    }
}
