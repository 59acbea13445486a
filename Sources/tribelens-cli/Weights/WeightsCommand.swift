import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli weights list|fetch|add`: the pretrained weights transfer-learning backends use and
/// the face models OpenCV runs (SFace, YuNet).
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "List or download pretrained weights (Keras' ImageNet VGG16) and face models (SFace, YuNet).",
        subcommands: [List.self, Fetch.self, Add.self]
    )
}
