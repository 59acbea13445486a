import CGtk  // GLib's main context only: the analyzer answers through it
import FaceKit
import Foundation
import SharedTestSupport
import XCTest
@testable import TribeLens

/// The zoomed photo view's refine (issue 17, item 1): which decode a zoom needs, that a result
/// arriving after its request was superseded is dropped, that one refined image at most is kept
/// and let go at fit; then through `PhotoPipeline` with the real analyzer, a fake detector and
/// 4000x3000 JPEGs: 100 % gets the full-size pixels, and a refine asked for a photo the user
/// left is never shown.
final class PhotoRefinementTests: XCTestCase {
    // A 4000x3000 photo; its preview (PreviewImage.defaultMaxSide 2048) is 2000 wide.
    private let full = 4000, preview = 2000

    func testTheReductionIsTheMostReducedDecodeThatCoversTheZoom() {
        // Longer sides at 1/1, 1/2, 1/4, 1/8: 4000, 2000, 1000, 500; 10 % enlargement is allowed.
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 4000, needed: 4000), 1)   // 100 %
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 4000, needed: 2300), 1)   // 2000 x 1.1 = 2200 < 2300
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 4000, needed: 2200), 2)
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 4000, needed: 1500), 2)
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 4000, needed: 1000), 4)
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 4000, needed: 300), 8)
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 4000, needed: 80_000), 1)  // 20x: full size is the most
        // Sides round up, as the loader's do: 4001 at 1/2 is 2001.
        XCTAssertEqual(PhotoRefinement.longSide(4001, reduction: 2), 2001)
        XCTAssertEqual(PhotoRefinement.longSide(5, reduction: 8), 1)
        // A 200 MP photo (16000 px) whose preview is 2000: 1/4 for 25 %, 1/2 for 50 %.
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 16000, needed: 4000), 4)
        XCTAssertEqual(PhotoRefinement.reduction(fullLongSide: 16000, needed: 8000), 2)
    }

    func testNoDecodeWhileThePreviewHasThePixelsTheZoomNeeds() {
        var refine = PhotoRefinement()
        let fit = refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: nil)
        XCTAssertEqual(fit, .init(start: nil, dropRefined: false, limitedTo: nil))
        // 0.55 x 4000 = 2200 screen pixels from 2000: within the tolerance.
        XCTAssertNil(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 0.55).start)
        // No preview yet: nothing to refine from.
        XCTAssertNil(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: nil, pixelsPerPhotoPixel: 1).start)
        // A photo smaller than its view: the preview is the photo.
        XCTAssertNil(refine.zoomed(photo: 1, fullLongSide: 800, previewLongSide: 800, pixelsPerPhotoPixel: 4).start)
        XCTAssertNil(refine.pending)
    }

    func testHundredPercentAsksForFullSizeKeepsItZoomedAndDropsItAtFit() throws {
        var refine = PhotoRefinement()
        let request = try XCTUnwrap(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        XCTAssertEqual(request.photo, 1)
        XCTAssertEqual(request.reduction, 1)
        // Zooming further while it decodes asks for nothing more: it already covers 20x.
        XCTAssertNil(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 3).start)
        XCTAssertTrue(refine.arrived(request, reduction: 1))
        XCTAssertEqual(refine.refined, .init(photo: 1, reduction: 1))
        // Zoomed out, but not to fit: kept, nothing asked.
        XCTAssertEqual(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 0.3),
                       .init(start: nil, dropRefined: false, limitedTo: nil))
        XCTAssertEqual(refine.refined, .init(photo: 1, reduction: 1))
        // Back at fit: dropped.
        XCTAssertEqual(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: nil),
                       .init(start: nil, dropRefined: true, limitedTo: nil))
        XCTAssertNil(refine.refined)
    }

    func testAnotherPhotoDropsTheRefinedImage() throws {
        var refine = PhotoRefinement()
        let request = try XCTUnwrap(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        XCTAssertTrue(refine.arrived(request, reduction: 1))
        let next = refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: nil)
        XCTAssertTrue(next.dropRefined)
        XCTAssertNil(refine.refined)
        // No photo shown at all (the last one removed) drops it too.
        let again = try XCTUnwrap(refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        XCTAssertTrue(refine.arrived(again, reduction: 1))
        XCTAssertTrue(refine.zoomed(photo: nil, fullLongSide: 0, previewLongSide: nil, pixelsPerPhotoPixel: nil).dropRefined)
    }

    func testSupersededResultsAreDropped() throws {
        // Moved to another photo before it came.
        var refine = PhotoRefinement()
        let first = try XCTUnwrap(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        _ = refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: nil)
        XCTAssertNil(refine.pending)
        XCTAssertFalse(refine.arrived(first, reduction: 1))
        XCTAssertNil(refine.refined)

        // Zoomed back to fit before it came.
        let second = try XCTUnwrap(refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        _ = refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: nil)
        XCTAssertFalse(refine.arrived(second, reduction: 1))
        XCTAssertNil(refine.refined)

        // Zoomed back out to where the preview is enough, then in again: the new request counts,
        // the old one (same photo, same reduction) does not.
        let third = try XCTUnwrap(refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        XCTAssertNil(refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 0.4).start)
        let fourth = try XCTUnwrap(refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        XCTAssertNotEqual(third, fourth)
        XCTAssertFalse(refine.arrived(third, reduction: 1))
        XCTAssertTrue(refine.arrived(fourth, reduction: 1))
        // The same result delivered twice is taken once.
        XCTAssertFalse(refine.arrived(fourth, reduction: 1))
    }

    func testZoomingFurtherAsksForMoreAndTheSmallerRequestIsDropped() throws {
        // 16000 px photo, preview 2000 (1/8): 25 % needs 1/4, 100 % full size.
        var refine = PhotoRefinement()
        let quarter = try XCTUnwrap(refine.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 0.25).start)
        XCTAssertEqual(quarter.reduction, 4)
        let whole = try XCTUnwrap(refine.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 1).start)
        XCTAssertEqual(whole.reduction, 1)
        XCTAssertFalse(refine.arrived(quarter, reduction: 4))
        XCTAssertTrue(refine.arrived(whole, reduction: 1))
        // A refined 1/4 image, zoomed to 100 %: full size is asked for, the 1/4 one stays meanwhile.
        var step = PhotoRefinement()
        let first = try XCTUnwrap(step.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 0.25).start)
        XCTAssertTrue(step.arrived(first, reduction: 4))
        let more = step.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 1)
        XCTAssertEqual(more.start?.reduction, 1)
        XCTAssertFalse(more.dropRefined)
        XCTAssertEqual(step.refined, .init(photo: 1, reduction: 4))
    }

    func testADecodeTheLoaderHadToReduceIsKeptAndNotAskedForAgain() throws {
        // 16000 px: full size is over the loader's pixel limit, so 1/2 comes instead.
        var refine = PhotoRefinement()
        let request = try XCTUnwrap(refine.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 1).start)
        XCTAssertTrue(refine.arrived(request, reduction: 2))
        XCTAssertEqual(refine.refined, .init(photo: 1, reduction: 2))
        let again = refine.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 2)
        XCTAssertEqual(again, .init(start: nil, dropRefined: false, limitedTo: 2))
        // Where 1/2 is what the zoom needs anyway, there is nothing to say.
        XCTAssertNil(refine.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 0.5).limitedTo)
        // No better than the preview (the memory allowed only 1/8): not kept.
        var tight = PhotoRefinement()
        let small = try XCTUnwrap(tight.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 1).start)
        XCTAssertFalse(tight.arrived(small, reduction: 8))
        XCTAssertNil(tight.refined)
        XCTAssertNil(tight.zoomed(photo: 1, fullLongSide: 16000, previewLongSide: 2000, pixelsPerPhotoPixel: 1).start)
    }

    func testAFailedDecodeIsNotAskedForAgainWhileThePhotoIsShown() throws {
        var refine = PhotoRefinement()
        let request = try XCTUnwrap(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
        refine.failed(request)
        let again = refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 2)
        XCTAssertEqual(again, .init(start: nil, dropRefined: false, limitedTo: nil))
        // Shown again later: tried again.
        _ = refine.zoomed(photo: 2, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: nil)
        XCTAssertNotNil(refine.zoomed(photo: 1, fullLongSide: full, previewLongSide: preview, pixelsPerPhotoPixel: 1).start)
    }

    // MARK: Through the pipeline

    private var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tl-refine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() { if let home { try? FileManager.default.removeItem(at: home) } }

    /// A JPEG (4000x3000 by default) of one-pixel stripes (columns alternate `a` and `b`):
    /// detail a preview averages away and only the full-size decode keeps.
    private func stripes(_ name: String, _ a: UInt8, _ b: UInt8, width: Int = 4000, height: Int = 3000) throws -> URL {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let value = x % 2 == 0 ? a : b
                let i = (y * width + x) * 3
                pixels[i] = value; pixels[i + 1] = value; pixels[i + 2] = value
            }
        }
        let url = home.appendingPathComponent(name)
        try RGBImage(width: width, height: height, pixels: pixels).write(to: url)
        return url
    }

    /// The window's pipeline with the real analyzer (over `loader`) and a detector that finds nothing.
    @MainActor
    private static func pipeline(home: URL, loader: PhotoLoader = PhotoLoader()) -> PhotoPipeline {
        let analyzer = PhotoAnalyzer(loader: loader, thumbnails: ThumbnailStore(folder: home.appendingPathComponent("thumbnails")),
                                     makeDetector: { FakeFaceDetector { _ in [] } },
                                     makeModelDetector: { _ in FakeFaceDetector { _ in [] } })
        let recognizer = Recognizer(store: ModelStore(root: home.appendingPathComponent("models")),
                                    storage: DatasetStorage(cacheRoot: home.appendingPathComponent("cache"),
                                                            dataRoot: home.appendingPathComponent("data"))) { ([], PluginReport(backends: [])) }
        let state = RecognitionState(recognizer: recognizer, settings: SettingsStore(file: home.appendingPathComponent("settings.ini")),
                                     environment: [:])
        return PhotoPipeline(analyzer: analyzer, recognition: state)
    }

    func testAPhotoTooLargeForFullSizeIsRefinedToTheLargestThatFitsAndSaysSo() throws {
        // 6000x4000 with a 7 MP decode limit: the analysis decodes 1/2 (3000x2000), the preview
        // is 1500x1000; 100 % asks for full size (24 MP) and gets 1/2 back, and says so.
        let url = try stripes("big.jpg", 0, 255, width: 6000, height: 4000)
        let home = self.home!
        try MainActor.assumeIsolated {
            let pipeline = Self.pipeline(home: home, loader: PhotoLoader(maxPixels: 7_000_000))
            pipeline.open([url])
            XCTAssertTrue(PhotoPipelineTests.pump { pipeline.session.current.map { pipeline.preview(for: $0) != nil } ?? false })
            let photo = try XCTUnwrap(pipeline.session.current)
            XCTAssertEqual(pipeline.preview(for: photo)?.width, 1500)
            XCTAssertNil(pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: 1))
            XCTAssertTrue(PhotoPipelineTests.pump { pipeline.refined(for: photo) != nil })
            XCTAssertEqual(pipeline.refined(for: photo).map { [$0.width, $0.height] }, [3000, 2000])
            XCTAssertEqual(pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: 1), 2)
            XCTAssertNil(pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: 0.5))  // 1/2 is all 50 % needs
            XCTAssertNotNil(pipeline.refined(for: photo))
        }
    }

    func testHundredPercentShowsTheFullSizePixelsAndALeftPhotosRefineIsNeverShown() throws {
        let first = try stripes("first.jpg", 0, 255)
        let second = try stripes("second.jpg", 60, 200)
        let home = self.home!
        try MainActor.assumeIsolated {
            let pipeline = Self.pipeline(home: home)
            pipeline.open([first, second])
            let session = pipeline.session
            @MainActor func ready(_ index: Int) -> Bool {
                guard session.photos.count == 2, case .analyzed = session.photos[index].state else { return false }
                return pipeline.thumbnail(for: session.photos[index]) != nil
            }
            XCTAssertTrue(PhotoPipelineTests.pump { ready(0) && ready(1) })
            var photo = try XCTUnwrap(session.current)
            XCTAssertTrue(PhotoPipelineTests.pump { pipeline.preview(for: photo) != nil })
            let preview = try XCTUnwrap(pipeline.preview(for: photo))
            XCTAssertEqual([preview.width, preview.height], [2000, 1500])
            // The preview averaged the stripes into one grey (JPEG leaves a little ripple).
            XCTAssertLessThan(abs(Int(preview.bgrx[0]) - Int(preview.bgrx[4])), 20)

            // 100 %: the full-size decode replaces it.
            XCTAssertNil(pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: 1))
            XCTAssertTrue(PhotoPipelineTests.pump { pipeline.refined(for: photo) != nil })
            let refined = try XCTUnwrap(pipeline.refined(for: photo))
            XCTAssertEqual([refined.width, refined.height], [4000, 3000])
            // The loader's own full-size pixels, each one (B, G, R, x in memory).
            let reference = try PhotoLoader().load(first)
            XCTAssertEqual(refined.stride, 16000)
            let rows = refined.bytes.bindMemory(to: UInt8.self)
            var mismatches = 0
            for i in 0..<(4000 * 3000) where rows[i * 4] != reference.pixels[i * 3 + 2] || rows[i * 4 + 1] != reference.pixels[i * 3 + 1]
                || rows[i * 4 + 2] != reference.pixels[i * 3] { mismatches += 1 }
            XCTAssertEqual(mismatches, 0)
            XCTAssertEqual(reference.pixels[3 * 4001 ..< 3 * 4001 + 3].map { $0 }, refined.rgb(x: 1, y: 1))
            XCTAssertGreaterThan(Int(refined.rgb(x: 1, y: 0)[0]) - Int(refined.rgb(x: 0, y: 0)[0]), 200)  // the stripes are there
            XCTAssertEqual(pipeline.preview(for: photo)?.width, 2000)  // the preview stays for fit

            // Back at fit: let go.
            pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: nil)
            XCTAssertNil(pipeline.refined(for: photo))

            // Asked at 100 %, then the user moves on before it comes: never shown for either
            // photo. The second photo's own refine, asked after it on the same queue, shows
            // that the first one has been dealt with by then.
            pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: 1)
            let left = photo
            session.goForward()
            photo = try XCTUnwrap(session.current)
            pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: nil)
            let leftRevision = try XCTUnwrap(session.photos.first { $0.id == left.id }).revision
            XCTAssertTrue(PhotoPipelineTests.pump { pipeline.preview(for: photo) != nil })
            pipeline.zoomed(photoID: photo.id, pixelsPerPhotoPixel: 1)
            XCTAssertTrue(PhotoPipelineTests.pump { pipeline.refined(for: photo) != nil })
            XCTAssertEqual(try XCTUnwrap(session.photos.first { $0.id == left.id }).revision, leftRevision,
                           "the left photo's refine was taken")
            XCTAssertNil(pipeline.refined(for: left))
            let shown = try XCTUnwrap(pipeline.refined(for: photo))
            // The second photo's stripes (60 and 200, give or take JPEG's rounding).
            XCTAssertLessThan(abs(Int(shown.rgb(x: 0, y: 0)[0]) - 60), 30)
            XCTAssertLessThan(abs(Int(shown.rgb(x: 1, y: 0)[0]) - 200), 30)
        }
    }
}
