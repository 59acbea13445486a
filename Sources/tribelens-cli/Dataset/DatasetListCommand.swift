import ArgumentParser
import FaceKit
import Foundation

extension DatasetCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the datasets built so far.")

        @Flag(help: "Print the list as JSON.")
        var json = false

        func run() throws {
            let datasets = DatasetStore(storage: DatasetStorage.standard).list().map(DatasetSummary.init)
            if json { try printJSON(datasets); return }
            if datasets.isEmpty { Console.out("No datasets yet (tribelens-cli dataset build --photos DIR --name NAME)."); return }
            for dataset in datasets { Console.out(dataset.line) }
        }
    }
}
