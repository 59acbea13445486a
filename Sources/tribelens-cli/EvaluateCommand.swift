import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli evaluate`: a saved model on a dataset's test photos: accuracy, per-member
/// precision/recall/F1, confusion matrix, top-3 and group accuracy.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a saved model on a dataset's test split.")

    @Option(help: "Model name (default: the active model).") var model: String?
    @Option(help: "Dataset name (default: the one the model was trained on).") var dataset: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = ModelStore.standard()
        guard let name = model ?? store.activeName() else {
            throw ValidationError("no model given and none is active (see `tribelens-cli model list`)")
        }
        let backends = PluginHost().discover().backends
        let (manifest, loaded) = try store.load(name: name) { id in backends.first { $0.info.id == id } }
        guard let datasetName = dataset ?? manifest.preprocessing["dataset"].flatMap({ if case .string(let s) = $0 { s } else { nil } }) else {
            throw ValidationError("model '\(name)' does not say which dataset it was trained on: pass --dataset NAME")
        }
        let storage = DatasetStorage.standard
        let data = try DatasetStore(storage: storage).load(name: datasetName)
        guard data.classes == manifest.classes else {
            throw ValidationError("dataset '\(datasetName)' has other members than model '\(name)' (\(data.classes.count) vs \(manifest.classes.count))")
        }
        // The crops the model's backend takes (SFace: 112x112 aligned), not the write-up's 64x64.
        let input = backends.first { $0.info.id == manifest.backend.id }?.info.input ?? .legacy
        let tensors = try data.tensors(storage: storage, augment: false, spec: input)
        let test = try tensors.test.samples()
        let report = try ModelEvaluation.report(loaded, on: test, classes: manifest.classes, memberGroups: manifest.memberGroups)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Console.out(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            Console.out("Model '\(name)' on the \(test.count) test images of dataset '\(datasetName)':")
            Console.out(report.text())
        }
    }
}
