import ArgumentParser

/// `tribelens-cli`: everything the app does, scriptable. One subcommand per file.
@main
struct TribeLensCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tribelens-cli",
        abstract: "Find and name the faces in fan photos; build datasets and train models.",
        subcommands: [DetectCommand.self, DatasetCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self,
                       PluginsCommand.self, ModelCommand.self, RosterCommand.self,
                       WeightsCommand.self,
                       BenchCommand.self]
    )
}
