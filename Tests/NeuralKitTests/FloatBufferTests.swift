import Foundation
import XCTest
@testable import NeuralKit

final class FloatBufferTests: XCTestCase {
    /// kB of anonymous memory resident in this process (RssAnon in /proc/self/status).
    static func residentAnonymousKB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
        return try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// Plans size scratchpads and gradient buffers for their largest user; a big buffer must cost
    /// memory only for the pages written, and still read as zeros everywhere.
    func testLargeBuffersAreZeroAndCostOnlyTheirWrittenPages() throws {
        let count = 64 << 20 / 4  // 64 MB
        let before = try Self.residentAnonymousKB()
        let buffer = FloatBuffer(count: count)
        XCTAssertTrue(buffer.isMapped)
        XCTAssertLessThan(try Self.residentAnonymousKB() - before, 8 << 10, "allocating touched the pages")
        var sum: Float = 0
        for i in stride(from: 0, to: count, by: 1024) { sum += buffer.pointer[i] }
        XCTAssertEqual(sum, 0)
        buffer.pointer.update(repeating: 1, count: count / 2)  // 32 MB written
        let written = try Self.residentAnonymousKB() - before
        XCTAssertGreaterThan(written, 24 << 10)
        XCTAssertLessThan(written, 40 << 10)
        XCTAssertEqual(buffer.array(count: 3), [1, 1, 1])
        withExtendedLifetime(buffer) {}

        let small = FloatBuffer([1, 2, 3])
        XCTAssertFalse(small.isMapped)
        XCTAssertEqual(small.array(), [1, 2, 3])
        XCTAssertEqual(Int(bitPattern: small.pointer) % 64, 0)
    }
}
