import Foundation
import XCTest

/// The read-only test data beside the repository (`../shared`), or a skip when it is absent.
public enum SharedData {
    /// This file is Tests/Support/SharedTestSupport/SharedData.swift: four folders up is the repository.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared").standardizedFileURL

    public static func url(_ relative: String) throws -> URL {
        let url = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("needs ../shared/\(relative) (the shared test data beside the repository); not found at \(url.path)")
        }
        return url
    }

    public static var yunetModel: String {
        get throws { try url("models/face_detection_yunet_2022mar.onnx").path }
    }
}
