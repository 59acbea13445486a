import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// The window's photo list: order, duplicates, navigation, and which photo is analysed next.
/// XCTest runs on the main thread, so the main actor can be assumed.
final class PhotoSessionTests: XCTestCase {
    private static let urls = ["a", "b", "c"].map { URL(fileURLWithPath: "/photos/\($0).jpg") }
    private static let done = Photo.State.analyzed(PhotoAnalysis(width: 1, height: 1, faces: [], seconds: 0))

    func testAddingShowsTheFirstNewPhotoAndSkipsDuplicates() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            var changes: [Bool] = []
            session.onChange = { changes.append($0) }
            XCTAssertEqual(session.add(Self.urls).count, 3)
            XCTAssertEqual(session.currentIndex, 0)
            session.goForward()
            session.goForward()
            XCTAssertEqual(session.current?.fileName, "c.jpg")
            XCTAssertFalse(session.canGoForward)
            session.goForward()  // at the end: no change
            XCTAssertEqual(session.currentIndex, 2)
            // Opening b again adds nothing and shows it.
            XCTAssertEqual(session.add([URL(fileURLWithPath: "/photos/./b.jpg")]).count, 0)
            XCTAssertEqual(session.photos.count, 3)
            XCTAssertEqual(session.current?.fileName, "b.jpg")
            XCTAssertEqual(changes, [true, true, true, true])
        }
    }

    func testTheShownPhotoIsAnalysedFirstThenTheOnesAfterIt() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            let photos = session.add(Self.urls)
            XCTAssertEqual(session.nextToAnalyze()?.id, photos[0].id)
            session.select(2)
            XCTAssertEqual(session.nextToAnalyze()?.id, photos[2].id)
            session.update(photos[2].id, state: Self.done)
            XCTAssertEqual(session.nextToAnalyze()?.id, photos[0].id, "wraps around to the first waiting photo")
            session.update(photos[0].id, state: .failed("a.jpg: broken"))
            session.update(photos[1].id, state: Self.done)
            XCTAssertNil(session.nextToAnalyze())
        }
    }

    func testAnotherPhotosChangeIsNotAChangeOfTheShownOne() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            let photos = session.add(Self.urls)
            var changes: [Bool] = []
            session.onChange = { changes.append($0) }
            session.update(photos[1].id, state: Self.done)
            session.update(photos[0].id, state: Self.done)
            XCTAssertEqual(changes, [false, true])
        }
    }

    func testFaceCountText() {
        func text(_ count: Int) -> String {
            let faces = Array(repeating: FaceBox(x: 0, y: 0, width: 1, height: 1), count: count)
            return Photo(id: 0, url: Self.urls[0],
                         state: .analyzed(PhotoAnalysis(width: 1, height: 1, faces: faces, seconds: 0))).faceCountText
        }
        XCTAssertEqual(text(0), "No faces")
        XCTAssertEqual(text(1), "1 face")
        XCTAssertEqual(text(2), "2 faces")
        XCTAssertEqual(Photo(id: 0, url: Self.urls[0]).faceCountText, "Finding faces…")
    }
}
