import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Temporary XDG homes and a fake detector for the dataset tests (the folder helpers they share
/// with the CLI tests are in SharedTestSupport).
extension DatasetTestSupport {
    /// A fresh temporary folder holding cache/ and data/ (the test's XDG_CACHE_HOME and XDG_DATA_HOME).
    static func temporaryHome(_ label: String = "home") throws -> (root: URL, storage: DatasetStorage) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tribelens-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let storage = DatasetStorage(cacheRoot: root.appendingPathComponent("cache/tribelens"), dataRoot: root.appendingPathComponent("data/tribelens"))
        return (root, storage)
    }

    /// A fake detector with one fixed, centred box (LFW centres its faces at about 70..180 of 250).
    static let centreDetector = FakeFaceDetector(name: "fake-centre") { image in
        [FaceBox(x: image.width * 28 / 100, y: image.height * 28 / 100, width: image.width * 44 / 100, height: image.height * 44 / 100, score: nil)]
    }
}
