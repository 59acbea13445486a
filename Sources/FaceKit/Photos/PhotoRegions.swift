import CVision
import Foundation

/// A photo's full-size pixels, decoded from the file only where they are asked for (the crops
/// around faces found on a reduced decode): `cvision_decode_regions` reads JPEG's rows and
/// columns of the regions only, PNG up to the last row needed, and the formats OpenCV decodes
/// once in full. Regions whose full-size decode does not fit the memory budget are cut from the
/// reduced image instead, enlarged to full size, so a crop is never refused for memory.
public struct PhotoRegions: FullSizePixels, Sendable {
    let loader: PhotoLoader
    let photo: EncodedPhoto
    /// The reduced decode detection used (the fallback).
    let reduced: DecodedPhoto

    public var fullWidth: Int { reduced.fullWidth }
    public var fullHeight: Int { reduced.fullHeight }
    public var reducedDecode: DecodedPhoto? { reduced }

    public func regions(_ rects: [PixelRect]) throws -> [RGBImage] {
        guard !rects.isEmpty else { return [] }
        for rect in rects where rect.isEmpty || rect.x < 0 || rect.y < 0
            || rect.x + rect.width > fullWidth || rect.y + rect.height > fullHeight {
            throw VisionError("region \(rect) lies outside the \(fullWidth)x\(fullHeight) photo")
        }
        let pixels = rects.reduce(0) { Checked.sum($0, $1.pixelCount) }
        let bytes = loader.budget.regionCost(photo.header, fileBytes: photo.data.count, pixels: pixels)
        guard bytes <= loader.memory.capacity, pixels <= loader.maxPixels else {
            return try rects.map { try fromReduced($0) }
        }
        return try loader.memory.holding(bytes) { () throws -> [RGBImage] in try decode(rects) }
    }

    private func decode(_ rects: [PixelRect]) throws -> [RGBImage] {
        let header = photo.header
        // One buffer for all regions, back to back.
        let offsets = rects.reduce(into: [0]) { $0.append($0.last! + $1.pixelCount * 3) }
        var pixels = [UInt8](repeating: 0, count: offsets.last!)
        var status: Int32 = 0
        var found = (Int32(0), Int32(0))
        var warningCount: Int32 = 0
        var warning = [CChar](repeating: 0, count: VisionCall.messageCapacity)
        var message = [CChar](repeating: 0, count: VisionCall.messageCapacity)
        let format = PhotoLoader.visionFormat(header.format)
        pixels.withUnsafeMutableBufferPointer { out in
            let regions = rects.enumerated().map { i, r in
                cvision_region(x: Int32(r.x), y: Int32(r.y), width: Int32(r.width), height: Int32(r.height),
                               out: out.baseAddress! + offsets[i])
            }
            status = photo.data.withUnsafeBytes { raw in
                warning.withUnsafeMutableBufferPointer { w in
                    message.withUnsafeMutableBufferPointer { m in
                        cvision_decode_regions(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, format,
                                               Int32(header.width), Int32(header.height), Int32(header.orientation),
                                               regions, Int32(regions.count), &found.0, &found.1,
                                               w.baseAddress, w.count, &warningCount, m.baseAddress, m.count)
                    }
                }
            }
        }
        guard Int(status) == Int(CVISION_DECODE_OK) else {
            throw PhotoError(photo.url, "cannot decode the face regions at full size (\(VisionCall.text(message)))")
        }
        return rects.enumerated().map { i, r in
            RGBImage(width: r.width, height: r.height, pixels: Array(pixels[offsets[i]..<offsets[i + 1]]))
        }
    }

    /// `rect` cut from the reduced image and enlarged to its full size.
    private func fromReduced(_ rect: PixelRect) throws -> RGBImage {
        let r = reduced.reduction, image = reduced.image
        let x0 = rect.x / r, y0 = rect.y / r
        let x1 = min(image.width, Checked.ceilDiv(rect.x + rect.width, r)), y1 = min(image.height, Checked.ceilDiv(rect.y + rect.height, r))
        let part = image.cropped(to: FaceBox(x: x0, y: y0, width: max(1, x1 - x0), height: max(1, y1 - y0)))
        return try part.resized(width: rect.width, height: rect.height)
    }
}
