import CVision
import Foundation

/// The write-up's augmentation, nine images per face crop: for each angle in -15, 0, +15 degrees,
/// rotate with the canvas enlarged (`scipy.ndimage.rotate`, reshape=True) and resize back to
/// 64x64 (`cv2.resize`, bilinear), then keep that image, its `threshold(100, 255, TOZERO)` and its
/// `GaussianBlur((5, 5), 0)`. Output order is the write-up's: rot, thr, filter per angle.
/// Every step works per channel, so RGB or BGR order makes no difference.
public struct Augmentation: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case rotated, thresholded, blurred }

    public var angles: [Double] = [-15, 0, 15]
    public var size = 64
    public var threshold = 100.0
    public var blurKernel = 5
    public var blurSigma = 0.0

    public init() {}

    /// Images per input crop.
    public var factor: Int { angles.count * Kind.allCases.count }

    /// (angle, kind) of each output of `augment`, in order.
    public var variants: [(angle: Double, kind: Kind)] {
        angles.flatMap { angle in Kind.allCases.map { (angle, $0) } }
    }

    public func augment(_ crop: RGBImage) throws -> [RGBImage] {
        var out: [RGBImage] = []
        out.reserveCapacity(factor)
        for angle in angles {
            let rotated = try Augmentation.resizeLinear(try Augmentation.rotate(crop, degrees: angle), width: size, height: size)
            out.append(rotated)
            out.append(try Augmentation.thresholdToZero(rotated, threshold: threshold))
            out.append(try Augmentation.gaussianBlur(rotated, kernel: blurKernel, sigma: blurSigma))
        }
        return out
    }

    // MARK: - The four operations

    /// `scipy.ndimage.rotate(image, degrees)` with its defaults (reshape, cubic spline, zeros outside).
    public static func rotate(_ image: RGBImage, degrees: Double) throws -> RGBImage {
        var width: Int32 = 0, height: Int32 = 0
        try call { err, len in cvaug_rotated_size(Int32(image.width), Int32(image.height), degrees, &width, &height, err, len) }
        var out = [UInt8](repeating: 0, count: Int(width) * Int(height) * 3)
        try image.pixels.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                try call { err, len in
                    cvaug_rotate(src.baseAddress, Int32(image.width), Int32(image.height), 3, degrees,
                                 dst.baseAddress, width, height, err, len)
                }
            }
        }
        return RGBImage(width: Int(width), height: Int(height), pixels: out)
    }

    /// `cv2.resize(image, (width, height))`: bilinear in both directions (unlike
    /// `RGBImage.resized`, which shrinks with INTER_AREA for better crops).
    public static func resizeLinear(_ image: RGBImage, width: Int, height: Int) throws -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        try image.pixels.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                try call { err, len in
                    cvaug_resize_linear(src.baseAddress, Int32(image.width), Int32(image.height), 3,
                                        dst.baseAddress, Int32(width), Int32(height), err, len)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    public static func thresholdToZero(_ image: RGBImage, threshold: Double) throws -> RGBImage {
        try samePixelOp(image) { src, dst, err, len in
            cvaug_threshold_tozero(src, Int32(image.width), Int32(image.height), 3, threshold, dst, err, len)
        }
    }

    public static func gaussianBlur(_ image: RGBImage, kernel: Int, sigma: Double) throws -> RGBImage {
        try samePixelOp(image) { src, dst, err, len in
            cvaug_gaussian_blur(src, Int32(image.width), Int32(image.height), 3, Int32(kernel), sigma, dst, err, len)
        }
    }

    // MARK: - Plumbing

    private static func samePixelOp(
        _ image: RGBImage,
        _ body: (UnsafePointer<UInt8>?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws -> RGBImage {
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        try image.pixels.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                try call { err, len in body(src.baseAddress, dst.baseAddress, err, len) }
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: out)
    }

    private static func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        var message = [CChar](repeating: 0, count: 512)
        let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        if status != 0 {
            throw AugmentationError(message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
}

public struct AugmentationError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { "augmentation failed: \(message)" }
}
