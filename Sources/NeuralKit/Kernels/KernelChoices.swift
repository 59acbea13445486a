import CDNNL
import Foundation

/// Which kernels NeuralKit runs on this CPU, chosen from what is measured on it rather than from a
/// vendor or model string (issue 18: a Xeon lost the lead the EPYC's fixed choices gave):
/// - CPU facts: the model name and feature flags from /proc/cpuinfo (AVX-512, AVX512_BF16, AMX)
///   and the per-core L2 from sysfs; only reported and used to seed the candidates;
/// - 3x3 convolutions with 16-multiple channels: oneDNN's Winograd or its direct kernel, whichever
///   runs the scratch CNN's second convolution (32x32x32, 16 images, forward and both backward
///   passes, one thread as a shard runs) faster here;
/// - the chunk of images a convolution and its max-pool run in (`ConvPoolKernel`), as a byte budget
///   for the chunk's output: the per-core L2, at most 1 MiB (two of the scratch CNN's conv1 maps).
///   Not timed: its candidates are within a few percent of each other on both CPU kinds measured
///   (so a timed choice flipped between processes under load: 3 of 20 on the Xeon), and each
///   size sums the weight gradients in another order, so the same seed trained differently from
///   one process to the next. 4 and 8 images were 3-20% slower on the Xeon's 2 MiB L2, hence the
///   cap.
/// Direct replaces the Winograd default the EPYC was tuned with only when it is more than 5%
/// faster, so that a near-tie would not flip from one process to the next. Winograd
/// against direct is decided on the median of the rounds' direct/Winograd ratios, not on the two
/// best times: a round's two runs are adjacent in time, so load hits both alike (on the Xeon a
/// pair of best times once said direct, 6.81 against 8.21 ms, where direct makes the step 1.3x
/// slower).
/// The calibration runs once per process, the first time a network is built, alternating the
/// two and keeping each one's best thread CPU time, so that load from other processes
/// hits them alike and hardly moves the figures. It is not cached on disk: NeuralKit runs inside plugins, which keep no files
/// of their own. `NEURALKIT_WINOGRAD=0|1` skips the measurement and `NEURALKIT_CONVPOOL_BUDGET=BYTES`
/// overrides the budget (tests, and comparing choices).
public struct KernelChoices: Sendable, CustomStringConvertible {
    public let cpuModel: String
    /// The flags of interest the CPU reports (avx512f, avx512_bf16, amx_bf16, ...).
    public let features: [String]
    public let l2Bytes: Int
    public let winograd3x3: Bool
    /// Convolutions on bf16 copies of their inputs (`NEURALKIT_BF16=1`, opt-in, and only on a CPU
    /// with bf16 instructions; ConvKernel): float32 master weights and outputs.
    public let bf16Convolutions: Bool
    /// Best CPU milliseconds of the calibration pass: Winograd, direct (nil: not measured or not offered).
    public let winogradMs: Double?, directMs: Double?
    /// Median over the calibration's rounds of direct's time over Winograd's in the same round.
    public let directOverWinograd: Double?
    public let convPoolBudget: Int
    /// "measurement" (of Winograd against direct; the chunk budget follows the L2), or the
    /// environment variables that decided.
    public let decidedBy: String

    public static let current = KernelChoices.measure()

    public var hasBF16: Bool { Self.hasBF16(features) }

    static func hasBF16(_ features: [String]) -> Bool { features.contains("avx512_bf16") || features.contains("amx_bf16") }

    public var description: String {
        let f = { (x: Double?) in x.map { String(format: "%.2f ms", $0) } ?? "n/a" }
        return "CPU: \(cpuModel) [\(features.joined(separator: " "))], L2 \(l2Bytes / 1024) KiB; "
            + (bf16Convolutions ? "convolutions in bf16 (float32 master weights); " : "")
            + "3x3 convolutions: \(winograd3x3 ? "Winograd" : "direct") (Winograd \(f(winogradMs)), direct \(f(directMs)), "
            + "direct/Winograd \(directOverWinograd.map { String(format: "%.2f", $0) } ?? "n/a")); "
            + "conv+pool chunk budget \(convPoolBudget / 1024) KiB; "
            + "decided by \(decidedBy)"
    }

    /// The model name with family, model and stepping (a VM's name can be as bare as "Intel(R)
    /// Xeon(R) Processor"), and the first CPU's flags.
    static func cpuInfo() -> (model: String, flags: Set<String>) {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return ("unknown", []) }
        var fields: [String: String] = [:], flags = Set<String>()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if fields[parts[0]] == nil { fields[parts[0]] = parts[1] }
            if parts[0] == "flags", flags.isEmpty { flags = Set(parts[1].split(separator: " ").map(String.init)) }
        }
        guard let name = fields["model name"] else { return ("unknown", flags) }
        let signature = [("family", "cpu family"), ("model", "model"), ("stepping", "stepping")]
            .compactMap { label, key in fields[key].map { "\(label) \($0)" } }.joined(separator: " ")
        return (signature.isEmpty ? name : "\(name) (\(signature))", flags)
    }

    static func l2Size() -> Int {
        for i in 0..<8 {
            let dir = "/sys/devices/system/cpu/cpu0/cache/index\(i)/"
            guard let level = try? String(contentsOfFile: dir + "level", encoding: .utf8),
                  level.trimmingCharacters(in: .whitespacesAndNewlines) == "2",
                  let size = try? String(contentsOfFile: dir + "size", encoding: .utf8) else { continue }
            let s = size.trimmingCharacters(in: .whitespacesAndNewlines)
            if s.hasSuffix("K"), let k = Int(s.dropLast()) { return k * 1024 }
            if s.hasSuffix("M"), let m = Int(s.dropLast()) { return m * 1024 * 1024 }
        }
        return 1 << 20
    }

    /// How much faster a candidate must be to displace the EPYC-tuned default.
    static let margin = 0.05

    static func measure() -> KernelChoices {
        let (model, flags) = cpuInfo()
        let features = ["avx2", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16"].filter(flags.contains)
        let l2 = l2Size()
        let env = ProcessInfo.processInfo.environment
        var decided: [String] = []
        var winograd = true, wMs: Double?, dMs: Double?, ratio: Double?
        let hasBF16 = Self.hasBF16(features)
        let bf16 = env["NEURALKIT_BF16"] == "1" && hasBF16
        if let asked = env["NEURALKIT_BF16"] {
            decided.append(asked == "1" && !hasBF16 ? "NEURALKIT_BF16=1 (ignored: no bf16 instructions)" : "NEURALKIT_BF16=\(asked)")
        }
        if bf16 {
            winograd = false  // no bf16 Winograd in oneDNN
        } else if let forced = env["NEURALKIT_WINOGRAD"] {
            winograd = forced != "0"
            decided.append("NEURALKIT_WINOGRAD=\(forced)")
        } else {
            (wMs, dMs, ratio) = timeConvAlgorithms()
            // Winograd (the choice the EPYC was tuned with) unless direct is clearly faster: two
            // candidates within a few percent swap places from run to run.
            if let r = ratio { winograd = r > 1 - margin } else { winograd = wMs != nil }
        }
        var budget = convPoolBudget(l2: l2)
        if let forced = env["NEURALKIT_CONVPOOL_BUDGET"], let b = Int(forced), b > 0 {
            budget = b
            decided.append("NEURALKIT_CONVPOOL_BUDGET=\(forced)")
        }
        return KernelChoices(cpuModel: model, features: features, l2Bytes: l2, winograd3x3: winograd, bf16Convolutions: bf16, winogradMs: wMs,
                             directMs: dMs, directOverWinograd: ratio, convPoolBudget: budget,
                             decidedBy: decided.isEmpty ? "measurement" : decided.joined(separator: ", ") + (wMs != nil || dMs != nil ? " and measurement" : ""))
    }

    /// The conv + pool chunk's output budget for a per-core L2 of `l2` bytes (see the type's notes).
    static func convPoolBudget(l2: Int) -> Int { min(l2, 1 << 20) }

    /// A forward and backward pass of `kernel` on fixed data: the best of `reps` after a warm-up,
    /// interleaved with the other candidates by the caller.
    private final class Probe {
        let kernel: any LayerKernel
        let x: FloatBuffer, y: FloatBuffer, g: FloatBuffer
        let params: [FloatBuffer], grads: [FloatBuffer]
        let dx: FloatBuffer
        /// CPU milliseconds of each timed round (the warm-up dropped).
        var times: [Double] = []
        var best: Double { times.min() ?? .infinity }

        init(_ kernel: any LayerKernel, inputCount: Int, outputCount: Int, parameterCounts: [Int]) {
            self.kernel = kernel
            dx = FloatBuffer(count: inputCount)
            var gen = SeededGenerator(seed: 1)
            x = FloatBuffer((0..<inputCount).map { _ in gen.nextUnitFloat() })
            y = FloatBuffer(count: outputCount)
            g = FloatBuffer((0..<outputCount).map { _ in gen.nextFloat(limit: 1e-3) })
            params = parameterCounts.map { n in FloatBuffer((0..<n).map { _ in gen.nextFloat(limit: 0.1) }) }
            grads = parameterCounts.map { FloatBuffer(count: $0) }
        }

        /// This thread's CPU time: the kernels run single-threaded here, and other processes'
        /// load (five helpers on two cores) swings wall-clock times several-fold.
        static func cpuNanoseconds() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
        }

        func run() throws {
            let t = Self.cpuNanoseconds()
            try kernel.forward(input: x.pointer, output: y.pointer, parameters: params.map(\.pointer))
            try kernel.backward(input: x.pointer, output: y.pointer, outputGrad: g.pointer, gradIsPreActivation: false,
                                inputGrad: dx.pointer, parameters: params.map(\.pointer), parameterGrads: grads.map(\.pointer))
            times.append((Self.cpuNanoseconds() - t) / 1e6)
        }
    }

    /// On one thread in the float mode shards run in (`Parallel.shards`).
    private static func race(_ probes: [Probe], reps: Int = 6) -> [[Double]?] {
        var alive = probes.map { _ in true }
        Parallel.shards(1) { _ in
            for r in 0..<(reps + 1) {
                for (i, p) in probes.enumerated() where alive[i] {
                    do { try p.run() } catch { alive[i] = false }
                    if r == 0 { p.times = [] }  // warm-up: first-touch and JIT
                }
            }
        }
        return probes.enumerated().map { alive[$0.offset] ? $0.element.times : nil }
    }

    /// The scratch CNN's conv2 (3x3, 32 -> 32 channels on 32x32, 16 images: one core's shard),
    /// Winograd reading and writing nChw16c as in the network, direct reading NHWC and writing
    /// nChw16c as the network lays it out then.
    /// Best times of each and the median of the rounds' direct/Winograd ratios.
    static func timeConvAlgorithms() -> (winograd: Double?, direct: Double?, directOverWinograd: Double?) {
        let conv = Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, name: "calibration")
        let shape = [32, 32, 32], batch = 16, n = batch * 32 * 32 * 32
        guard let resources = try? KernelResources() else { return (nil, nil, nil) }
        let counts = [3 * 3 * 32 * 32, 32]
        let w = try? ConvKernel(config: conv, input: shape, output: shape, batch: batch, training: true,
                                resources: resources, layouts: (.blocked16, .blocked16), winograd: true)
        let d = try? ConvKernel(config: conv, input: shape, output: shape, batch: batch, training: true,
                                resources: resources, layouts: (.nhwc, .blocked16), winograd: false)
        var probes: [Probe] = [], which: [Bool] = []
        if let w, w.winograd { probes.append(Probe(w, inputCount: n, outputCount: n, parameterCounts: counts)); which.append(true) }
        if let d { probes.append(Probe(d, inputCount: n, outputCount: n, parameterCounts: counts)); which.append(false) }
        var wTimes: [Double]?, dTimes: [Double]?
        for (t, isW) in zip(race(probes), which) { if isW { wTimes = t } else { dTimes = t } }
        var ratio: Double?
        if let wt = wTimes, let dt = dTimes, wt.count == dt.count, !wt.isEmpty {
            let r = zip(dt, wt).map { $0 / $1 }.sorted()
            ratio = r.count % 2 == 1 ? r[r.count / 2] : (r[r.count / 2 - 1] + r[r.count / 2]) / 2
        }
        return (wTimes?.min(), dTimes?.min(), ratio)
    }
}
