import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// Crops made from full-size regions decoded out of the file (`PhotoRegions`) equal the crops
/// made from the whole decoded photo, in every format and orientation; photos far over the
/// pixel limit (200 MP) are searched at a reduced size and cropped from regions, not refused.
final class RegionDecodingTests: XCTestCase {
    let loader = PhotoLoader()

    /// A textured picture: the shared group photo enlarged, else a gradient with stripes.
    func picture() throws -> RGBImage {
        if let url = try? SharedData.url("data/group-photos/test1.jpg") {
            let photo = try loader.load(url)
            return try photo.resized(width: 1100, height: 841)
        }
        var image = TestImages.gradient(width: 1100, height: 841)
        for i in stride(from: 0, to: image.pixels.count, by: 21) { image.pixels[i] = UInt8(i % 251) }
        return image
    }

    /// Boxes inside, on each edge, partly outside, tiny, and one with tilted landmarks.
    func faces(width w: Int, height h: Int) -> [FaceBox] {
        [FaceBox(x: 300, y: 200, width: 180, height: 180),
         FaceBox(x: 0, y: 0, width: 97, height: 120),
         FaceBox(x: w - 60, y: h - 70, width: 60, height: 70),
         FaceBox(x: -30, y: h / 2, width: 100, height: 90),
         FaceBox(x: w - 50, y: -20, width: 90, height: 80),
         FaceBox(x: 517, y: 333, width: 3, height: 2),
         FaceBox(x: 640, y: 420, width: 150, height: 160,
                 landmarks: [680, 480, 745, 470, 715, 515, 690, 550, 745, 545])]
    }

    func testCropsFromRegionDecodesEqualCropsFromTheFullDecode() throws {
        let dir = try temporaryFolder(self)
        let upright = try picture()
        var files: [(String, URL)] = []
        for ext in ["png", "bmp", "tiff", "webp"] {
            let url = dir.appendingPathComponent("photo.\(ext)")
            try upright.write(to: url)
            files.append((ext, url))
        }
        for orientation in [1, 3, 6, 8] {
            let plain = dir.appendingPathComponent("stored-\(orientation).jpg")
            try TestJPEG.stored(for: upright, orientation: orientation).write(to: plain)
            let url = dir.appendingPathComponent("photo-\(orientation).jpg")
            try TestJPEG.withOrientation(try Data(contentsOf: plain), orientation).write(to: url)
            files.append(("jpg, orientation \(orientation)", url))
        }
        for (label, url) in files {
            let full = try loader.load(url)
            let photo = try loader.open(url)
            let reduced = try loader.decode(photo, minimumLongSide: 1)
            XCTAssertEqual(reduced.reduction, 8, label)
            let pixels = loader.fullSizePixels(reduced, of: photo)
            XCTAssertTrue(pixels is PhotoRegions, label)
            XCTAssertEqual(pixels.fullWidth, full.width, label)
            let boxes = faces(width: full.width, height: full.height)
            // The regions themselves, bit for bit (libjpeg-turbo's cropped, skipped decode included).
            let rects = boxes.map { PixelRect($0).clamped(width: full.width, height: full.height) }.filter { !$0.isEmpty }
            let regions = try pixels.regions(rects)
            for (rect, region) in zip(rects, regions) {
                let reference = full.cropped(to: FaceBox(x: rect.x, y: rect.y, width: rect.width, height: rect.height))
                XCTAssertEqual(Self.maxDifference(region.pixels, reference.pixels), 0, "\(label) region \(rect)")
            }
            for spec in [InputSpec.legacy, .aligned112] {
                let fromRegions = try FaceCrops.make(spec, faces: boxes, from: pixels)
                let fromFull = try FaceCrops.make(spec, faces: boxes, in: full)
                XCTAssertEqual(fromRegions.count, fromFull.count)
                // Aligned crops go through warpAffine with the origin moved: rounding only.
                XCTAssertLessThanOrEqual(Self.maxDifference(fromRegions, fromFull), spec == .legacy ? 0 : 2, "\(label) \(spec)")
            }
        }
    }

    /// A face the reduced decode already holds at the crop's resolution is cut from it (no
    /// region decode; the crop is the full-size one up to resampling), a smaller face still
    /// reads full-size pixels.
    func testFacesTheReducedDecodeHoldsFinelyEnoughAreCutFromIt() throws {
        let url = try temporaryFolder(self).appendingPathComponent("photo.jpg")
        let upright = try picture()
        try upright.write(to: url)
        let full = try loader.load(url)
        let photo = try loader.open(url)
        let reduced = try loader.decode(photo, minimumLongSide: 550)
        XCTAssertEqual(reduced.reduction, 2)
        let pixels = loader.fullSizePixels(reduced, of: photo)
        // 400 px: 6 (boxes) or 3.6 (aligned) photo pixels per crop pixel; 100 px: 1.6 and 0.9.
        let big = FaceBox(x: 300, y: 200, width: 400, height: 400), small = FaceBox(x: 700, y: 500, width: 100, height: 100)
        for spec in [InputSpec.legacy, .aligned112] {
            let made = try FaceCrops.make(spec, faces: [big, small], from: pixels)
            let n = spec.bytes
            XCTAssertEqual(Array(made[..<n]), try FaceCrops.crop(spec, face: reduced.reducedBox(big), in: reduced.image), "\(spec)")
            let fullBig = try FaceCrops.crop(spec, face: big, in: full)
            let mean = Double(zip(made[..<n], fullBig).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(n)
            XCTAssertLessThan(mean, 4, "\(spec): the same face, resampled from the reduced decode")
            XCTAssertLessThanOrEqual(Self.maxDifference(Array(made[n...]), try FaceCrops.crop(spec, face: small, in: full)),
                                     spec == .legacy ? 0 : 2, "\(spec): the small face from full-size pixels")
        }
    }

    static func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard a.count == b.count else { return Int.max }
        return zip(a, b).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
    }

    // MARK: Photos over the pixel limit

    func testPlansDecodeWhatIsNeededAndKeepTheLimits() {
        let budget = DecodeBudget(workBytesPerPixel: 2, workBytes: 128 << 20)
        let phone = ImageHeader(format: .jpeg, width: 16_320, height: 12_240)  // 200 MP
        let gib = 1 << 30
        // Detection asks for 1280 px: 1/8 (2040) still gives it.
        XCTAssertEqual(budget.plan(phone, fileBytes: 40 << 20, available: 2 * gib, maxPixels: 100_000_000, minimumLongSide: 1280),
                       DecodePlan(reduction: 8, width: 2040, height: 1530,
                                  bytes: budget.cost(phone, fileBytes: 40 << 20, reduction: 8)))
        // As large as allowed: 1/2 is 50 MP, under the 100 MP limit; full size is not.
        XCTAssertEqual(budget.plan(phone, fileBytes: 40 << 20, available: 2 * gib, maxPixels: 100_000_000, minimumLongSide: .max)?.reduction, 2)
        XCTAssertNil(budget.plan(phone, fileBytes: 40 << 20, available: 2 * gib, maxPixels: 100_000_000, minimumLongSide: nil))
        // The byte budget still decides: with 64 MiB even 1/8 does not fit the detector's work.
        XCTAssertNil(budget.plan(phone, fileBytes: 40 << 20, available: 64 << 20, maxPixels: 100_000_000, minimumLongSide: 1280))
        // A 1000 px photo is never enlarged or reduced for a 1280 px detector.
        XCTAssertEqual(DecodeBudget.reduction(keepingLongSide: 1280, of: ImageHeader(format: .png, width: 1000, height: 800)), 1)
        XCTAssertEqual(DecodeBudget.reduction(keepingLongSide: 1280, of: ImageHeader(format: .png, width: 4000, height: 3000)), 2)
        XCTAssertEqual(DecodeBudget.reduction(keepingLongSide: 1280, of: ImageHeader(format: .png, width: 3000, height: 5200)), 4)
        // Regions of a TIFF cost its whole decode (OpenCV holds it), a baseline JPEG's only the file and rows.
        let tiff = ImageHeader(format: .tiff, width: 16_320, height: 12_240)
        XCTAssertGreaterThan(budget.regionCost(tiff, fileBytes: 1, pixels: 100), 16_320 * 12_240 * 3)
        XCTAssertLessThan(budget.regionCost(phone, fileBytes: 1, pixels: 100), 16 << 20)
    }

    /// A real 200 MP JPEG (16000x12500, written without encoding pixels): `load` at full size is
    /// refused by the pixel limit, detection decodes it at 1/8, crops read full-size regions.
    func testA200MegapixelJPEGIsSearchedReducedAndCroppedFromRegions() throws {
        let dir = try temporaryFolder(self)
        let url = dir.appendingPathComponent("phone-200mp.jpg")
        try TestJPEG.solidGrey(width: 16_000, height: 12_500).write(to: url)
        XCTAssertThrowsError(try loader.load(url)) {
            XCTAssertEqual("\($0)", "phone-200mp.jpg: too large: 16000x12500 is 200.0 MP, over the 100 MP limit")
        }
        let found = try FoundFaces.find(in: loader.open(url), loader: loader, detector: try HaarDetector(preset: .default))
        XCTAssertEqual(found.decoded.reduction, 8)
        XCTAssertEqual(found.decoded.image.width, 2000)
        XCTAssertEqual(found.decoded.image.height, 1563)
        XCTAssertEqual(found.faces, [])
        XCTAssertTrue(found.decoded.image.pixels.allSatisfy { (127...129).contains($0) })
        let box = FaceBox(x: 15_800, y: 12_300, width: 200, height: 200)
        let crops = try FaceCrops.make(.legacy, faces: [box], from: found.pixels)
        XCTAssertEqual(crops.count, 64 * 64 * 3)
        XCTAssertTrue(crops.allSatisfy { (127...129).contains($0) })
        // As large as the limit allows: 1/2 (50 MP) is the largest decode under 100 MP.
        XCTAssertEqual(try loader.decode(url, allowReduction: true).reduction, 2)
    }

    /// Regions that do not fit the memory budget come from the reduced image instead (enlarged),
    /// so a crop is never refused for memory.
    func testRegionsOverTheBudgetComeFromTheReducedImage() throws {
        let dir = try temporaryFolder(self)
        let url = dir.appendingPathComponent("photo.jpg")
        let upright = try picture()
        try upright.write(to: url)
        let rect = PixelRect(x: 100, y: 100, width: 900, height: 700)
        // Room for the 1/8 decode, not for the region's 1.9 MB of full-size pixels.
        let header = try loader.header(of: url)
        let fileBytes = try Data(contentsOf: url).count
        let budget = DecodeBudget()
        let capacity = budget.cost(header, fileBytes: fileBytes, reduction: 8) + 100_000
        XCTAssertGreaterThan(budget.regionCost(header, fileBytes: fileBytes, pixels: rect.pixelCount), capacity)
        let tight = PhotoLoader(memory: MemoryReservations(capacity: capacity))
        let photo = try tight.open(url)
        let reduced = try tight.decode(photo, minimumLongSide: 1)
        let region = try tight.fullSizePixels(reduced, of: photo).regions([rect])[0]
        XCTAssertEqual(region.width, 900)
        XCTAssertEqual(region.height, 700)
        let reference = upright.cropped(to: FaceBox(x: 100, y: 100, width: 900, height: 700))
        let mean = zip(region.pixels, reference.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / region.pixels.count
        XCTAssertLessThan(mean, 40, "a blurred copy of the same place")
        XCTAssertGreaterThan(Self.maxDifference(region.pixels, reference.pixels), 0, "not the full-size decode")
    }
}
