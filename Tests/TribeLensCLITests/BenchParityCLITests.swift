import Foundation
import XCTest
import SharedTestSupport

/// `tribelens-cli bench parity` (the NeuralKit half of bench/peers/keras_parity.py) as the script
/// runs it: .npy data, safetensors weights, a per-epoch order file; and its refusals, which name
/// the file.
final class BenchParityCLITests: XCTestCase {
    var home: URL!
    override func setUpWithError() throws { home = try makeTemporaryDirectory("tribelens-cli-parity") }
    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    /// A version 1.0 .npy file, written here independently of the CLI's writer.
    func npy(_ name: String, _ bytes: [UInt8], shape: [Int], dtype: String) throws {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        data.append(contentsOf: bytes)
        try data.write(to: home.appendingPathComponent(name))
    }

    func int64s(_ values: [Int]) -> [UInt8] { values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: Int64(v) >> (8 * $0)) } } }

    /// The scratch CNN's parameters for 2 classes, small deterministic values, as safetensors.
    func weights(dropping: String? = nil) throws -> URL {
        let shapes: [(String, [Int])] = [
            ("conv2d/kernel", [3, 3, 3, 32]), ("conv2d/bias", [32]), ("conv2d_1/kernel", [3, 3, 32, 32]), ("conv2d_1/bias", [32]),
            ("conv2d_2/kernel", [3, 3, 32, 32]), ("conv2d_2/bias", [32]), ("dense/kernel", [2048, 256]), ("dense/bias", [256]),
            ("dense_1/kernel", [256, 128]), ("dense_1/bias", [128]), ("dense_2/kernel", [128, 2]), ("dense_2/bias", [2]),
        ].filter { $0.0 != dropping }
        var header: [String] = [], blob = Data(), offset = 0, k = 0
        for (name, shape) in shapes {
            let n = shape.reduce(1, *)
            for _ in 0..<n {
                k += 1
                withUnsafeBytes(of: Float(sin(Double(k) * 12.9898)) * 0.02) { blob.append(contentsOf: $0) }
            }
            header.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + 4 * n)]}")
            offset += 4 * n
        }
        var h = Data(("{" + header.joined(separator: ",") + "}").utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var file = Data()
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(h)
        file.append(blob)
        let url = home.appendingPathComponent(dropping == nil ? "init.safetensors" : "short.safetensors")
        try file.write(to: url)
        return url
    }

    func writeData(train: Int = 10, test: Int = 4) throws {
        var g = UInt64(7)
        let pixels = { (n: Int) -> [UInt8] in (0..<n * 64 * 64 * 3).map { _ in g = g &* 6364136223846793005 &+ 1; return UInt8(g >> 56) } }
        try npy("x_train.npy", pixels(train), shape: [train, 64, 64, 3], dtype: "|u1")
        try npy("y_train.npy", int64s((0..<train).map { $0 % 2 }), shape: [train], dtype: "<i8")
        try npy("x_test.npy", pixels(test), shape: [test, 64, 64, 3], dtype: "|u1")
        try npy("y_test.npy", int64s((0..<test).map { $0 % 2 }), shape: [test], dtype: "<i8")
    }

    func testTrainsInTheGivenOrderAndPrintsOneLinePerEpoch() throws {
        try writeData()
        let w = try weights()
        try npy("orders.npy", int64s((0..<3).flatMap { e in (0..<10).map { ($0 * 3 + e) % 10 } }), shape: [3, 10], dtype: "<i8")
        let r = try CLIRunner(home: home).run(["bench", "parity", "--data", home.path, "--weights", w.path, "--epochs", "3",
                                               "--batch-size", "4", "--orders", home.appendingPathComponent("orders.npy").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try r.stdout.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let epochs = lines.filter { $0["epoch"] != nil }
        XCTAssertEqual(epochs.count, 3, r.stdout)
        for (i, e) in epochs.enumerated() {
            XCTAssertEqual(e["epoch"] as? Int, i + 1)
            XCTAssertEqual(try XCTUnwrap(e["lr"] as? Double), Double(Float(0.01)), accuracy: 1e-12)
            XCTAssertGreaterThan(try XCTUnwrap(e["loss"] as? Double), 0)
            XCTAssertGreaterThan(try XCTUnwrap(e["val_loss"] as? Double), 0)
        }
        let end = try XCTUnwrap(lines.last)
        XCTAssertEqual(end["epochs"] as? Int, 3)
        XCTAssertEqual(end["stopped_epoch"] as? Int, 0)
    }

    func testRefusalsNameTheFile() throws {
        try writeData()
        let short = try weights(dropping: "dense_2/bias")
        var r = try CLIRunner(home: home).run(["bench", "parity", "--data", home.path, "--weights", short.path, "--epochs", "1"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("short.safetensors") && r.stderr.contains("dense_2/bias"), r.stderr)
        let w = try weights()
        try npy("orders.npy", int64s(Array(0..<9)), shape: [1, 9], dtype: "<i8")
        r = try CLIRunner(home: home).run(["bench", "parity", "--data", home.path, "--weights", w.path, "--epochs", "1",
                                           "--orders", home.appendingPathComponent("orders.npy").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("orders.npy"), r.stderr)
        try npy("x_test.npy", [UInt8](repeating: 0, count: 4 * 4 * 4), shape: [4, 4], dtype: "<f4")
        r = try CLIRunner(home: home).run(["bench", "parity", "--data", home.path, "--weights", w.path, "--epochs", "1"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("x_test.npy"), r.stderr)
    }
}
