import XCTest
@testable import NeuralKit

/// The per-CPU kernel choice: facts read from the system and a calibration that really times
/// both candidates (issue 18).
final class KernelChoicesTests: XCTestCase {
    func testCPUFactsAreRead() {
        let (model, flags) = KernelChoices.cpuInfo()
        XCTAssertNotEqual(model, "unknown", "no model name in /proc/cpuinfo")
        XCTAssertFalse(flags.isEmpty)
        XCTAssertGreaterThanOrEqual(KernelChoices.l2Size(), 64 * 1024)
    }

    func testCalibrationTimesBothConvolutionAlgorithms() throws {
        let (winograd, direct, ratio) = KernelChoices.timeConvAlgorithms()
        let d = try XCTUnwrap(direct, "the direct kernel was not timed")
        XCTAssertGreaterThan(d, 0)
        // oneDNN 2.6 offers Winograd on AVX-512 CPUs only.
        if KernelChoices.cpuInfo().flags.contains("avx512f") {
            let w = try XCTUnwrap(winograd)
            XCTAssertGreaterThan(w, 0)
            // The choice is made on this: the median of the rounds' direct/Winograd ratios.
            let r = try XCTUnwrap(ratio, "no per-round ratio")
            XCTAssertGreaterThan(r, 0)
        } else {
            XCTAssertNil(ratio)
        }
    }

    /// The chunk budget follows the L2 alone, so every process on one machine chooses alike (a
    /// timed choice flipped under load, and each chunk size sums weight gradients in its own order).
    func testChunkBudgetFollowsTheL2() {
        XCTAssertEqual(KernelChoices.convPoolBudget(l2: 512 * 1024), 512 * 1024)
        XCTAssertEqual(KernelChoices.convPoolBudget(l2: 1 << 20), 1 << 20)
        XCTAssertEqual(KernelChoices.convPoolBudget(l2: 2 << 20), 1 << 20, "4 images were slower on a 2 MiB L2")
        let c = KernelChoices.current
        if c.decidedBy == "measurement" { XCTAssertEqual(c.convPoolBudget, KernelChoices.convPoolBudget(l2: c.l2Bytes)) }
    }

    func testChoiceFollowsItsMeasurement() {
        let c = KernelChoices.current
        XCTAssertTrue(c.description.contains(c.cpuModel))
        guard c.decidedBy == "measurement" else { return }
        if let r = c.directOverWinograd {
            XCTAssertEqual(c.winograd3x3, r > 1 - KernelChoices.margin, c.description)
        }
    }
}
