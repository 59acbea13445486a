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
        let chunks = KernelChoices.timeConvPoolChunks([1, 2, 4, 8])
        XCTAssertEqual(Set(chunks.keys), [1, 2, 4, 8])
        XCTAssertTrue(chunks.values.allSatisfy { $0 > 0 })
    }

    func testChoiceFollowsItsMeasurement() {
        let c = KernelChoices.current
        XCTAssertTrue(c.description.contains(c.cpuModel))
        guard c.decidedBy == "measurement" else { return }
        if let r = c.directOverWinograd {
            XCTAssertEqual(c.winograd3x3, r > 1 - KernelChoices.margin, c.description)
        }
        let imageBytes = 4 * 64 * 64 * 32
        XCTAssertTrue([1, 2, 4, 8].map { $0 * imageBytes }.contains(c.convPoolBudget), c.description)
        if let best = c.chunkMs.min(by: { $0.value < $1.value }), c.convPoolBudget != 2 * imageBytes {
            XCTAssertEqual(c.convPoolBudget, best.key * imageBytes, "not the default, so the fastest: \(c.description)")
        }
    }
}
