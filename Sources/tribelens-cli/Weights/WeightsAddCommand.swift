import ArgumentParser
import FaceKit
import Foundation

extension WeightsCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a face-model file you have (SFace or YuNet) into the weights folder, checked by SHA-256.",
            discussion: "A file whose checksum is not a published one is refused unless --allow-unverified-model: "
                + "then its checksum is recorded as approved, and that file (those exact bytes) is used from then on.")

        @Argument(help: "The model file.") var file: String
        @Option(help: "What it is: sface or yunet.") var kind: String
        @OptionGroup var faceModels: FaceModelOptions

        func run() throws {
            guard let kind = FaceModelKind(rawValue: kind) else { throw ValidationError("--kind must be sface or yunet") }
            do {
                let installed = try FaceModels.install(URL(fileURLWithPath: file), kind: kind, approveUnknown: faceModels.allowUnverifiedModel)
                Console.out(installed.path)
            } catch let error as FaceModelError {
                throw ValidationError(error.description)
            }
        }
    }
}
