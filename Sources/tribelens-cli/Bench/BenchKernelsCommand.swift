import ArgumentParser
import NeuralKit

extension BenchCommand {
    /// `bench kernels`: the CPU as NeuralKit sees it and the kernels it chose there (`make bench`
    /// prints this first).
    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kernels", abstract: "Print the CPU and the kernels NeuralKit measured and chose on it.")

        func run() throws {
            print(KernelChoices.current.description)
        }
    }
}
