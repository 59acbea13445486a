import XCTest
@testable import TribeLens

/// Issue 15, item 6: the photo view's zoom arithmetic (fit, 100 %, steps, zoom about a point,
/// panning within the edges) and the geometry the drawing and the face targets share.
final class PhotoZoomTests: XCTestCase {
    /// A 2000x1000 photo in a 1024x524 view: fit is 0.5 ((524 - 24) / 1000).
    let frame = PhotoZoom.Frame(viewWidth: 1024, viewHeight: 524, photoWidth: 2000, photoHeight: 1000)

    func testFitIsTheDefaultAndTheOldGeometry() throws {
        var zoom = PhotoZoom.fit
        XCTAssertTrue(zoom.isFit)
        XCTAssertEqual(zoom.scale(in: frame), 0.5)
        XCTAssertEqual(zoom.percentText(in: frame), "50%")
        XCTAssertFalse(zoom.canPan(in: frame))
        let geometry = try XCTUnwrap(PhotoGeometry(widgetWidth: 1024, widgetHeight: 524, photoWidth: 2000, photoHeight: 1000, zoom: zoom))
        XCTAssertEqual(geometry, try XCTUnwrap(PhotoGeometry(widgetWidth: 1024, widgetHeight: 524, photoWidth: 2000, photoHeight: 1000)))
        zoom.pan(dx: 100, dy: 100, in: frame)  // nothing to pan at fit
        XCTAssertEqual(zoom, .fit)
    }

    func testStepsInAndOutEndAtFitAndStopAtTwentyTimes() {
        var zoom = PhotoZoom.fit
        zoom.zoomIn(in: frame)
        XCTAssertEqual(zoom.scale(in: frame)!, 0.75, accuracy: 1e-12)
        zoom.zoomIn(in: frame)
        XCTAssertEqual(zoom.scale(in: frame)!, 1.125, accuracy: 1e-12)
        XCTAssertEqual(zoom.percentText(in: frame), "113%")  // 112.5 rounds away from zero
        zoom.zoomOut(in: frame)
        zoom.zoomOut(in: frame)
        XCTAssertTrue(zoom.isFit, "back at the fit scale is fit, so the window's size is followed again")
        zoom.zoomOut(in: frame)
        XCTAssertTrue(zoom.isFit, "never smaller than fit")
        for _ in 0..<30 { zoom.zoomIn(in: frame) }
        XCTAssertEqual(zoom.scale(in: frame), PhotoZoom.maximum)
    }

    func testActualSizeIsOnePhotoPixelPerScreenPixel() throws {
        var zoom = PhotoZoom.fit
        zoom.actualSize(in: frame)
        XCTAssertEqual(zoom.scale(in: frame), 1)
        XCTAssertEqual(zoom.percentText(in: frame), "100%")
        // Centred on the photo's middle: (1024/2 - 1000, 524/2 - 500).
        let geometry = try XCTUnwrap(PhotoGeometry(widgetWidth: 1024, widgetHeight: 524, photoWidth: 2000, photoHeight: 1000, zoom: zoom))
        XCTAssertEqual(geometry.left, -488)
        XCTAssertEqual(geometry.top, -238)
        // A small photo (enlarged at fit) shrinks to its own size at 100 %, centred.
        let small = PhotoZoom.Frame(viewWidth: 800, viewHeight: 600, photoWidth: 100, photoHeight: 50)
        var smallZoom = PhotoZoom.fit
        XCTAssertEqual(smallZoom.scale(in: small), 7.76)  // (800 - 24) / 100
        smallZoom.actualSize(in: small)
        let placed = try XCTUnwrap(smallZoom.placement(in: small))
        XCTAssertEqual(placed.scale, 1)
        XCTAssertEqual(placed.left, 350)
        XCTAssertEqual(placed.top, 275)
        XCTAssertFalse(smallZoom.canPan(in: small))
    }

    func testZoomAboutAPointKeepsThatPointStill() throws {
        var zoom = PhotoZoom.fit
        let anchor = (x: 300.0, y: 200.0)
        let before = try XCTUnwrap(zoom.placement(in: frame))
        let photoPoint = ((anchor.x - before.left) / before.scale, (anchor.y - before.top) / before.scale)
        zoom.zoom(to: 2, in: frame, anchor: anchor)
        let after = try XCTUnwrap(zoom.placement(in: frame))
        XCTAssertEqual(after.scale, 2)
        // The same photo point is under the pointer (within the rounding of the placement).
        XCTAssertEqual(after.left + photoPoint.0 * after.scale, anchor.x, accuracy: 0.5)
        XCTAssertEqual(after.top + photoPoint.1 * after.scale, anchor.y, accuracy: 0.5)
    }

    func testPanningStopsAtTheEdges() throws {
        var zoom = PhotoZoom.fit
        zoom.actualSize(in: frame)
        XCTAssertTrue(zoom.canPan(in: frame))
        zoom.pan(dx: 100, dy: 0, in: frame)
        XCTAssertEqual(zoom.placement(in: frame)!.left, -388, "moved right by 100")
        zoom.pan(dx: 1e6, dy: 1e6, in: frame)
        let topLeft = try XCTUnwrap(zoom.placement(in: frame))
        XCTAssertEqual(topLeft.left, PhotoGeometry.margin, "the left edge stops at the margin")
        XCTAssertEqual(topLeft.top, PhotoGeometry.margin)
        zoom.pan(dx: -1e6, dy: -1e6, in: frame)
        let bottomRight = try XCTUnwrap(zoom.placement(in: frame))
        XCTAssertEqual(bottomRight.left + 2000, 1024 - PhotoGeometry.margin, "the right edge stops at the margin")
        XCTAssertEqual(bottomRight.top + 1000, 524 - PhotoGeometry.margin)
    }

    func testFaceBoxesFollowTheZoom() throws {
        var zoom = PhotoZoom.fit
        zoom.actualSize(in: frame)
        let geometry = try XCTUnwrap(PhotoGeometry(widgetWidth: 1024, widgetHeight: 524, photoWidth: 2000, photoHeight: 1000, zoom: zoom))
        let rect = geometry.rect(x: 1000, y: 500, width: 40, height: 60)
        XCTAssertEqual(rect.x, 512); XCTAssertEqual(rect.y, 262)  // the photo's middle is the view's
        XCTAssertEqual(rect.width, 40); XCTAssertEqual(rect.height, 60)
    }

    func testAnEmptyFrameHasNoScale() {
        var zoom = PhotoZoom.fit
        let empty = PhotoZoom.Frame(viewWidth: 10, viewHeight: 10, photoWidth: 100, photoHeight: 100)
        XCTAssertNil(zoom.scale(in: empty))
        zoom.zoomIn(in: empty)
        XCTAssertTrue(zoom.isFit)
    }
}
