import ArgumentParser
import FaceKit
import Foundation

extension ModelCommand {
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a saved model.")
        @Argument(help: "The model's name.") var name: String

        func run() throws {
            try ModelCommand.attempt { try ModelCommand.store().delete(name: name) }
            Console.out("Deleted model \(name).")
        }
    }
}
