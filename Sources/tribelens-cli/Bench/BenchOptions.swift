import ArgumentParser

extension BenchCommand {
    /// The flags every timed bench takes.
    struct Options: ParsableArguments {
        @Option(help: "Timed batches (after warm-up).") var batches = 20
        @Option(help: "Warm-up batches.") var warmup = 3
        @Option(help: "Batch size.") var batchSize = 32
        @Flag(help: "Print one JSON object.") var json = false
    }
}
