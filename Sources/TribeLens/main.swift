import Foundation
import FaceKit

// tribelens: the GTK app. Photos come from the command line, a file manager (GApplication
// "open"), the Open dialog, or drag and drop. See docs/gui.md.
//
// TRIBELENS_YUNET_MODEL=/path/face_detection_yunet_2022mar.onnx switches the detector to YuNet.
let detectorFactory: PhotoAnalyzer.DetectorFactory = {
    if let model = ProcessInfo.processInfo.environment["TRIBELENS_YUNET_MODEL"], !model.isEmpty {
        return try YuNetDetector(modelPath: model)
    }
    return try HaarDetector(preset: .default)
}

let status = MainActor.assumeIsolated {
    TribeLensApplication(analyzer: PhotoAnalyzer(makeDetector: detectorFactory)).run()
}
exit(status)
