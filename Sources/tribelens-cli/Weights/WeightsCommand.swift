import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli weights list|fetch`: the pretrained weights transfer-learning backends use and
/// the face models OpenCV runs (SFace, YuNet).
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "List or download pretrained weights (Keras' ImageNet VGG16) and face models (SFace, YuNet).",
        subcommands: [List.self, Fetch.self, Add.self]
    )

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

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download weights with progress and resume, check the checksum (MD5 or SHA-256), install atomically.")

        @Argument(help: "Which weights: \(PretrainedWeights.all.map(\.id).joined(separator: ", ")).")
        var id: String

        @Option(help: "Download from this URL instead of the official one (a mirror, a local copy).")
        var url: String?

        func run() throws {
            guard let weights = PretrainedWeights.named(id) else {
                throw ValidationError("unknown weights '\(id)'; known: \(PretrainedWeights.all.map(\.id).joined(separator: ", "))")
            }
            let source = try url.map { text -> URL in
                guard let u = URL(string: text), u.scheme != nil else { throw ValidationError("not a URL: \(text)") }
                return u
            }
            let fetcher = WeightsFetcher(weights, source: source)
            Console.error("Fetching \(weights.fileName) from \(fetcher.source.absoluteString)")
            do {
                let path = try fetcher.fetch { p in
                    let percent = p.expected > 0 ? 100 * Double(p.received) / Double(p.expected) : 0
                    Console.error(String(format: "  %.1f / %.1f MB (%.0f%%)%@", Double(p.received) / 1e6,
                                         Double(p.expected) / 1e6, percent,
                                         p.resumedFrom > 0 ? " resumed" : ""))
                }
                Console.out(path.path)
            } catch {
                Console.error("error: \(error)")
                throw ExitCode(1)
            }
        }
    }

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
