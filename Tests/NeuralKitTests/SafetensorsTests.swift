import XCTest
@testable import NeuralKit

final class SafetensorsTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nk-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func sample() throws -> [String: Tensor] {
        [
            "a/kernel": try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, .pi, 0, -0]),
            "b": try Tensor(shape: [4], scalars: [1e-30, 1e30, -7, 8]),
            "scalar": try Tensor(shape: [], scalars: [42]),
            "empty": try Tensor(shape: [0, 3], scalars: []),
            "naïve \"name\"": try Tensor(shape: [1], scalars: [9]),
        ]
    }

    func testRoundTripIsBitExact() throws {
        let url = tmp.appendingPathComponent("w.safetensors")
        let t = try sample()
        try Safetensors.write(t, to: url, metadata: ["k": "v"])
        XCTAssertEqual(try Safetensors.read(url), t)
        // Header is padded so data starts 8-byte aligned.
        let data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        XCTAssertEqual(headerLength % 8, 0)
    }

    func testModelWeightsRoundTripAndNameChecks() throws {
        let model = try Architectures.scratchCNN(inputShape: [8, 8, 3], classes: 3, seed: 1)
        let url = tmp.appendingPathComponent("m.safetensors")
        try model.saveWeights(to: url)
        var other = try Architectures.scratchCNN(inputShape: [8, 8, 3], classes: 3, seed: 2)
        XCTAssertNotEqual(try other.parameter("conv2d/kernel"), try model.parameter("conv2d/kernel"))
        try other.loadWeights(from: url)
        for n in model.parameterNames { XCTAssertEqual(try other.parameter(n), try model.parameter(n)) }

        // Wrong shape (different class count): error naming the tensor, model unchanged.
        var wrong = try Architectures.scratchCNN(inputShape: [8, 8, 3], classes: 4, seed: 3)
        let before = wrong.parameters
        XCTAssertThrowsError(try wrong.loadWeights(from: url)) { e in
            XCTAssertTrue("\(e)".contains("dense_2/kernel"), "\(e)")
        }
        XCTAssertEqual(wrong.parameters, before)
        // Missing and extra tensors.
        var t = model.parameters
        t.removeValue(forKey: "dense/bias")
        XCTAssertThrowsError(try other.loadWeights(t)) { XCTAssertTrue("\($0)".contains("dense/bias")) }
        t = model.parameters
        t["stranger"] = try Tensor(shape: [1], scalars: [0])
        XCTAssertThrowsError(try other.loadWeights(t)) { XCTAssertTrue("\($0)".contains("stranger")) }
        XCTAssertNoThrow(try other.loadWeights(t, allowExtra: true))
    }

    func testEveryTruncationIsAnErrorNotACrash() throws {
        let data = try Safetensors.encode(try sample())
        for cut in 0..<data.count {
            XCTAssertThrowsError(try Safetensors.decode(data.prefix(cut)), "prefix of \(cut) bytes")
        }
    }

    func header(_ json: String, extra: Int = 0) -> Data {
        var d = Data()
        var n = UInt64(json.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(json.utf8))
        d.append(Data(count: extra))
        return d
    }

    func assertRejects(_ data: Data, mentioning word: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Safetensors.decode(data), file: file, line: line) { e in
            XCTAssertTrue("\(e)".contains(word), "'\(e)' should mention '\(word)'", file: file, line: line)
            XCTAssertFalse("\(e)".contains("\n"), "one-line message", file: file, line: line)
        }
    }

    func testCorruptHeadersGiveClearErrors() throws {
        // Absurd header lengths must be rejected before any allocation.
        for absurd: UInt64 in [UInt64.max, 1 << 40, 100_000_001] {
            var d = Data()
            var n = absurd.littleEndian
            withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
            d.append(contentsOf: Array("{}".utf8))
            assertRejects(d, mentioning: "header length")
        }
        assertRejects(header("not json"), mentioning: "JSON")
        assertRejects(header("[1,2]"), mentioning: "JSON")
        assertRejects(header(#"{"x":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, extra: 4), mentioning: "F16")
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, extra: 8), mentioning: "8 bytes")
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, extra: 4), mentioning: "offsets")
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, extra: 8), mentioning: "shape")
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}"#, extra: 8), mentioning: "shape")
        // Dimensions whose product overflows Int must not wrap around to a small size.
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,0]}}"#), mentioning: "shape")
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, extra: 8), mentioning: "offsets")
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[2]}}"#, extra: 8), mentioning: "offsets")
        assertRejects(header(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, extra: 8),
                      mentioning: "overlaps")
        assertRejects(Data([1, 2, 3]), mentioning: "shorter")
        XCTAssertThrowsError(try Safetensors.read(tmp.appendingPathComponent("missing.safetensors"))) {
            XCTAssertTrue("\($0)".contains("cannot read"))
        }
    }

    func testRandomCorruptionNeverCrashes() throws {
        let data = try Safetensors.encode(try sample())
        var g = SeededGenerator(seed: 77)
        for _ in 0..<500 {
            var d = data
            for _ in 0..<(1 + g.nextIndex(below: 4)) {
                d[g.nextIndex(below: min(d.count, 200))] = UInt8(truncatingIfNeeded: g.next())
            }
            _ = try? Safetensors.decode(d)  // may succeed (data bytes) or throw; must not crash
        }
    }
}
