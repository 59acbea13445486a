import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// Issue 15, item 6: Home/End, and taking photos (failed ones too) out of the window.
final class PhotoSessionRemovalTests: XCTestCase {
    private static let urls = ["a", "b", "c", "d"].map { URL(fileURLWithPath: "/photos/\($0).jpg") }

    func testHomeAndEndGoToTheFirstAndLastPhoto() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            session.add(Self.urls)
            session.goLast()
            XCTAssertEqual(session.current?.fileName, "d.jpg")
            session.goFirst()
            XCTAssertEqual(session.current?.fileName, "a.jpg")
            let empty = PhotoSession()
            empty.goFirst()
            empty.goLast()
            XCTAssertNil(empty.currentIndex)
        }
    }

    func testRemovingTheShownPhotoShowsTheNextThenThePrevious() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            var changes: [Bool] = []
            session.add(Self.urls)
            session.select(1)
            session.onChange = { changes.append($0) }
            XCTAssertEqual(session.remove(at: 1)?.fileName, "b.jpg")
            XCTAssertEqual(session.photos.map(\.fileName), ["a.jpg", "c.jpg", "d.jpg"])
            XCTAssertEqual(session.current?.fileName, "c.jpg", "the one after it")
            session.goLast()
            XCTAssertEqual(session.remove(at: 2)?.fileName, "d.jpg")
            XCTAssertEqual(session.current?.fileName, "c.jpg", "the last one removed: the one before it")
            XCTAssertEqual(changes, [true, true, true])
        }
    }

    func testRemovingAnotherPhotoKeepsTheShownOne() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            var changes: [Bool] = []
            session.add(Self.urls)
            session.select(2)
            session.onChange = { changes.append($0) }
            session.remove(at: 0)
            XCTAssertEqual(session.current?.fileName, "c.jpg")
            XCTAssertEqual(session.currentIndex, 1)
            session.remove(at: 2)
            XCTAssertEqual(session.current?.fileName, "c.jpg")
            XCTAssertEqual(changes, [false, false], "the shown photo did not change")
            XCTAssertNil(session.remove(at: 5))
        }
    }

    func testAFailedPhotoCanBeRemovedAndTheLastRemovalEmptiesTheWindow() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            session.add(Array(Self.urls.prefix(2)))
            let failed = session.photos[1].id
            session.update(failed, state: .failed("b.jpg: not an image"))
            session.select(1)
            session.remove(at: 1)
            XCTAssertFalse(session.photos.contains { $0.id == failed })
            session.update(failed, state: .analyzed(PhotoAnalysis(width: 1, height: 1, faces: [], seconds: 0)))  // late result: dropped
            XCTAssertEqual(session.photos.count, 1)
            session.remove(at: 0)
            XCTAssertNil(session.current)
            XCTAssertNil(session.currentIndex)
            XCTAssertFalse(session.canGoBack || session.canGoForward)
        }
    }
}
