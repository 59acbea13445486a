import Foundation
import FaceKit

// tribelens: the GTK app. Photos come from the command line, a file manager (GApplication
// "open"), the Open dialog, or drag and drop. See docs/gui.md.
//
// TRIBELENS_YUNET_MODEL=/path/face_detection_yunet_2022mar.onnx switches the detector to YuNet;
// otherwise the Preferences' choice (YuNet only when its model is installed).
L10n.setUp()  // before any text is made: the UI language comes from the locale
let preferredDetector = MainActor.assumeIsolated { SettingsStore.shared.settings.detector }
let detectorFactory: PhotoAnalyzer.DetectorFactory = {
    if let model = ProcessInfo.processInfo.environment["TRIBELENS_YUNET_MODEL"], !model.isEmpty {
        // Checked by SHA-256 before OpenCV reads it, as every model file.
        return try YuNetDetector(modelPath: FaceModels.resolve(.yunet, path: model).path)
    }
    if preferredDetector == .yunet, let model = YuNetModelLocator.find() {
        return try YuNetDetector(modelPath: model)
    }
    return try HaarDetector(preset: .default)
}

let status = MainActor.assumeIsolated {
    let yunet = ProcessInfo.processInfo.environment["TRIBELENS_YUNET_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
    let analyzer = PhotoAnalyzer(makeDetector: detectorFactory, yunetModel: yunet)
    analyzer.warmUp()  // the detector loads while GTK starts
    return TribeLensApplication(analyzer: analyzer).run()
}
exit(status)
