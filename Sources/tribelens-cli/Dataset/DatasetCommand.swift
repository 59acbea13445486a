import ArgumentParser

/// `tribelens-cli dataset build|check|list|curate|export`: the training panel's data half,
/// scriptable (one subcommand per file in this folder).
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Build training sets from photo folders (one folder per member) and check their health.",
        subcommands: [Build.self, Check.self, List.self, Curate.self, DatasetExportCommand.self])
}
