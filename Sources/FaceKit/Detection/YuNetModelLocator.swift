import Foundation

/// Where TribeLens looks for the optional YuNet model when no path is given.
public enum YuNetModelLocator {
    public static let fileName = "face_detection_yunet_2022mar.onnx"

    public static var searchFolders: [URL] {
        [AppPaths.dataHome.appendingPathComponent("detectors")]
    }

    public static func find() -> String? {
        searchFolders.map { $0.appendingPathComponent(fileName).path }
            .first { FileManager.default.isReadableFile(atPath: $0) }
    }
}
