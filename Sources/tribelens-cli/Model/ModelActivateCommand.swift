import ArgumentParser
import FaceKit
import Foundation

extension ModelCommand {
    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a model the default for `predict` and the app.")
        @Argument(help: "The model's name.") var name: String

        func run() throws {
            try ModelCommand.attempt { try ModelCommand.store().activate(name: name) }
            Console.out("Model \(name) is now active.")
        }
    }
}
