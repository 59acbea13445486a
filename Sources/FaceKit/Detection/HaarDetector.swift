import CVision
import Foundation

/// OpenCV's frontal-face Haar cascade, as the write-up used it.
public final class HaarDetector: FaceDetector, @unchecked Sendable {
    /// Where Debian's `opencv-data` installs the cascade the write-up loads.
    public static let defaultCascadePath = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

    public let preset: HaarPreset
    public var name: String { "haar-\(preset.rawValue)" }
    /// The write-up's `original` searches the full-size photo; `default` works at 1280 px.
    public var workingLongSide: Int? { preset == .default ? HaarPreset.workLongestSide : nil }

    // A CascadeClassifier is not safe to share between threads; the lock serialises callers
    // (detectMultiScale already spreads one call over the cores).
    private let handle: OpaquePointer
    private let lock = NSLock()

    public init(preset: HaarPreset = .default, cascadePath: String = HaarDetector.defaultCascadePath) throws {
        guard FileManager.default.fileExists(atPath: cascadePath) else {
            throw VisionError("Haar cascade not found at \(cascadePath) (install Debian's opencv-data)")
        }
        do {
            handle = try VisionCall.open { cvision_haar_open(cascadePath, $0, $1) }
        } catch {
            throw VisionError("\(cascadePath): \(error)")
        }
        self.preset = preset
    }

    deinit { cvision_haar_close(handle) }

    public func detect(in image: RGBImage) throws -> [FaceBox] {
        guard image.width > 0, image.height > 0 else { return [] }
        let p = preset.parameters(width: image.width, height: image.height)
        lock.lock()
        defer { lock.unlock() }
        return try VisionCall.boxes { boxes, count, err, len in
            image.pixels.withUnsafeBufferPointer {
                cvision_haar_detect(handle, $0.baseAddress, Int32(image.width), Int32(image.height),
                                    p.scaleFactor, Int32(p.minNeighbors), Int32(p.minSize),
                                    p.workScale, boxes, count, err, len)
            }
        }
    }
}
