import ArgumentParser
import FaceKit
import Foundation

extension WeightsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show installed weights, each checked by size and checksum; face models are recognised by SHA-256, whatever their name.")

        func run() throws {
            let found = WeightsLocator.list()
            if found.isEmpty {
                Console.out("No pretrained weights installed. Looked in: "
                            + WeightsLocator.searchFolders.map(\.path).joined(separator: ", "))
                Console.out("Get VGG16's with: tribelens-cli weights fetch vgg16")
            }
            for item in found {
                let state: String
                let algorithm = item.weights.checksum.algorithm
                switch item.check {
                case .verified: state = "ok (\(algorithm) verified)"
                case .wrongSize(let size): state = "WRONG SIZE (\(size) bytes, expected \(item.weights.byteCount))"
                case .wrongChecksum(let digest): state = "WRONG CHECKSUM (\(algorithm) \(digest))"
                }
                Console.out("\(item.weights.id)\t\(item.url.path)\t\(state)")
            }

            let models = FaceModels.installed()
            for kind in FaceModelKind.allCases where !models.contains(where: { $0.known?.kind == kind }) {
                Console.out("No \(kind.displayName) model installed. Looked in: \(kind.searchFolders.map(\.path).joined(separator: ", "))")
                Console.out("Get it with: tribelens-cli weights fetch \(kind.rawValue)")
            }
            for item in models {
                if let known = item.known {
                    Console.out("\(known.kind.rawValue)\t\(item.url.path)\tok (SHA-256 verified: \(known.note))")
                } else {
                    // Shown so a user who dropped a file in wonders no longer why it is not used.
                    Console.out("?\t\(item.url.path)\tUNKNOWN FILE (\(item.byteCount) bytes, SHA-256 \(item.sha256 ?? "unreadable")): "
                                + "not used; pass it with --allow-unverified-model to use it anyway")
                }
            }
        }
    }
}
