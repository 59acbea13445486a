import ArgumentParser
import FaceKit
import Foundation

/// The detector flags shared by every command that finds faces.
struct DetectorOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case haar, yunet }

    @Option(help: "Face detector: haar (OpenCV cascade) or yunet (DNN; needs a model file).")
    var detector: Kind = .haar

    @Option(help: "Haar parameters: original (the write-up's) or default (fewer false hits).")
    var preset: HaarPreset = .default

    @Option(name: .customLong("yunet-model"), help: "Path to face_detection_yunet_2022mar.onnx.")
    var yunetModel: String?

    @OptionGroup var faceModels: FaceModelOptions

    func makeDetector() throws -> any FaceDetector {
        switch detector {
        case .haar:
            return try HaarDetector(preset: preset)
        case .yunet:
            // Checked by SHA-256 before OpenCV reads it; the message says where it looked.
            return try YuNetDetector(modelPath: faceModels.resolve(.yunet, path: yunetModel).path)
        }
    }
}

extension HaarPreset: ExpressibleByArgument {}
