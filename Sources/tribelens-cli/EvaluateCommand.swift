import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli evaluate --model NAME [--dataset NAME] [--json]`: accuracy, per-member
/// precision/recall/F1, confusion matrix, top-3 and group accuracy.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a saved model: on a dataset's test part, or show the test metrics saved with it.")

    @Option(help: "The saved model (default: the active one).") var model: String?
    @Option(help: "Evaluate on this dataset's test part (members the model does not know are skipped).") var dataset: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        let fail = { (message: String) in ModelCommand.Failure(description: message) }
        let store = ModelStore.standard()
        guard let name = model ?? store.activeName() else {
            throw fail("no model given and none is active; use --model NAME or `tribelens-cli model activate NAME`")
        }
        let report: EvaluationReport
        if let dataset {
            let backends = PluginHost().discover().backends
            do {
                let (manifest, loaded) = try store.load(name: name) { id in backends.first { $0.info.id == id } }
                let storage = DatasetStorage.standard
                let datasetManifest = try DatasetStore(storage: storage).load(name: dataset)
                let input = try DatasetTrainingInput(manifest: datasetManifest, tensors: try datasetManifest.tensors(storage: storage, augment: false))
                let (test, dropped) = try DatasetTrainingInput.relabel(input.test, from: input.classes, to: manifest.classes)
                if dropped > 0 { Console.error("note: \(dropped) test images of members the model does not know were skipped") }
                guard test.count > 0 else { throw fail("dataset \(dataset) has no test images of the model's members") }
                report = try ModelEvaluation.report(loaded, on: test, classes: manifest.classes, memberGroups: manifest.memberGroups)
            } catch let error as ModelCommand.Failure {
                throw error
            } catch {
                throw fail("\(error)")
            }
        } else {
            let manifest: ModelManifest
            do { manifest = try store.manifest(of: name) } catch { throw fail("\(error)") }
            guard let saved = manifest.testMetrics else {
                throw fail("model \(name) has no saved test metrics; pass --dataset NAME to evaluate it")
            }
            report = saved
        }
        if json { try ModelCommand.printJSON(report) } else { Console.out(report.text()) }
    }
}
