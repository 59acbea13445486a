import ArgumentParser
import Foundation

/// How the benches time a step and print the result, shared by its subcommands.
extension BenchCommand {
    static func time(_ name: String, _ options: BenchCommand.Options, _ step: (Int) throws -> Void) throws {
        guard options.batches > 0, options.warmup >= 0, options.batchSize > 0 else {
            throw ValidationError("--batches and --batch-size must be positive, --warmup not negative")
        }
        for b in 0..<options.warmup { try step(b) }
        var times: [Double] = []
        for b in 0..<options.batches {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try step(b)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        let sorted = times.sorted()
        let median = sorted[sorted.count / 2]
        let mean = times.reduce(0, +) / Double(times.count)
        let ips = Double(options.batchSize) * 1000 / median
        let core = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset"
        if options.json {
            print(#"{"bench":"\#(name)","framework":"neuralkit","batch":\#(options.batchSize),"batches":\#(options.batches),"ms_per_batch":\#(fmt(median)),"ms_mean":\#(fmt(mean)),"images_per_s":\#(fmt(ips)),"openblas_coretype":"\#(core)"}"#)
        } else {
            print("\(name): median \(fmt(median)) ms/batch (mean \(fmt(mean))), \(fmt(ips)) images/s, batch \(options.batchSize), OPENBLAS_CORETYPE=\(core)")
        }
    }

    static func fmt(_ v: Double) -> String { String(format: "%.3f", v) }

    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // Linux reports kB
    }
}
