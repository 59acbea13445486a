import ArgumentParser
import Foundation
import NeuralKit

/// `tribelens-cli bench ...`: times NeuralKit alone on synthetic data (64x64x3 raw 0-255 pixels,
/// 24 classes, batch 32). `make bench` (bench/run.sh) runs these next to Keras and PyTorch.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time NeuralKit on the write-up's networks (synthetic data).",
        subcommands: [CNNStep.self, Kernels.self, Parity.self, VGGTopStep.self, VGGFrozenInfer.self, CNNEpoch.self, TransferBenchCommand.self, SFaceBenchCommand.self, PhotoBenchCommand.self])
}
