import CGtk  // GLib's main context only: the analyzer answers through it
import FaceKit
import SharedTestSupport
import Foundation
import XCTest
@testable import TribeLens

/// The app opens photos far over the 100 MP pixel limit (issue 15 item 8): the analyzer decodes a
/// 200 MP JPEG at the detector's size (1/8 here), reports its full size and boxes in full-size
/// pixels, and the preview is screen-sized, made from that decode.
final class LargePhotoAnalysisTests: XCTestCase {
    func testA200MegapixelPhotoIsAnalysedNotRefused() throws {
        let dir = try temporaryFolder(self)
        let url = dir.appendingPathComponent("phone-200mp.jpg")
        try TestJPEG.solidGrey(width: 16_000, height: 12_500).write(to: url)
        try MainActor.assumeIsolated {
            let analyzer = PhotoAnalyzer(thumbnails: ThumbnailStore(folder: dir.appendingPathComponent("thumbnails")),
                                         makeDetector: { try HaarDetector(preset: .default) },
                                         makeModelDetector: { _ in try HaarDetector(preset: .default) })
            var outcome: PhotoAnalyzer.Outcome?
            analyzer.analyze(url, preparation: nil) { outcome = $0 }
            let deadline = Date().addingTimeInterval(30)
            while outcome == nil && Date() < deadline {
                _ = g_main_context_iteration(nil, 0)
                usleep(1000)
            }
            let result = try XCTUnwrap(outcome, "no answer in 30 s")
            guard case .analyzed(let analysis) = result.state else {
                return XCTFail("not analysed: \(result.state)")
            }
            XCTAssertEqual(analysis.width, 16_000)
            XCTAssertEqual(analysis.height, 12_500)
            XCTAssertEqual(analysis.faces, [])
            let preview = try XCTUnwrap(result.preview)
            XCTAssertEqual(preview.width, 2000)  // the 1/8 decode, within the 2048 px preview
            XCTAssertLessThanOrEqual(max(preview.width, preview.height), PreviewImage.defaultMaxSide)
        }
    }
}
