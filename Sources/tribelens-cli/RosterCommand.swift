import ArgumentParser
import FaceKit
import Foundation

/// `tribelens-cli roster check ROSTER`: loads a roster exactly as `dataset build --roster` does
/// and says what is wrong with it, or what is in it.
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Check roster files.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a roster and summarise it.",
            discussion: "The exit status is 0 for a roster that loads, 1 (with the file, the key and the problem) otherwise.")

        @Argument(help: "Roster id (shipped or in $XDG_DATA_HOME/tribelens/rosters) or path to a roster JSON file.")
        var roster: String

        func run() throws {
            let loaded = try RosterLoader.load(idOrPath: roster, storage: DatasetStorage.standard)
            Console.out("\(loaded.id): \(loaded.members.count) members, \(loaded.groups.count) groups (\(loaded.name))")
        }
    }
}
