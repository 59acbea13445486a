import Foundation
import XCTest
import FaceKit

/// Finds the C test plugins SwiftPM builds next to the test bundle (.build/<triple>/<config>/),
/// or in `$TRIBELENS_TEST_PLUGIN_DIR` when set.
enum TestPlugins {
    static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["TRIBELENS_TEST_PLUGIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        let exe = PluginSearchPath.currentExecutable() ?? URL(fileURLWithPath: CommandLine.arguments[0])
        // The test runner is .build/<triple>/<config>/TribeLensPackageTests.xctest (a file on
        // Linux; a bundle folder elsewhere: walk up until the products appear).
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("libTestLinearBackend.so").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static func url(_ product: String) throws -> URL {
        let url = directory.appendingPathComponent("lib\(product).so")
        guard FileManager.default.fileExists(atPath: url.path) else {
            // A failure, not a skip: CI must never pass without having loaded the real plugins.
            throw BackendError(.io, "lib\(product).so not found in \(directory.path); build with `swift build --build-tests` first")
        }
        return url
    }

    static func linear() throws -> PluginBackend { try PluginLoader.load(url("TestLinearBackend")) }
}

/// A fresh temporary folder, removed by the caller's `defer`/tearDown.
func makeTemporaryDirectory(_ label: String = "tribelens-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Synthetic, learnable data: each class is a distinct colour layout (quadrant brightness per
/// channel) plus per-pixel noise, so a linear model on pooled pixels separates them.
enum SyntheticFaces {
    static func make(classes: Int, perClass: Int, seed: UInt64, noise: Int = 60) throws -> InMemorySamples {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var pixels: [UInt8] = []
        var labels: [Int32] = []
        pixels.reserveCapacity(classes * perClass * ImageLayout.bytes)
        for i in 0..<(classes * perClass) {
            let k = i % classes
            for y in 0..<64 {
                for x in 0..<64 {
                    let quadrant = (y / 32) * 2 + (x / 32)
                    for ch in 0..<3 {
                        // A per-class pattern: bit (quadrant*3+ch) of a class code decides bright/dark.
                        let code = (k &* 2_654_435_761 &+ 12345) >> 3
                        let bright = (code >> ((quadrant * 3 + ch) % 12)) & 1 == 1
                        let base = bright ? 180 : 70
                        let jitter = Int(next() % UInt64(2 * noise + 1)) - noise
                        pixels.append(UInt8(clamping: base + jitter))
                    }
                }
            }
            labels.append(Int32(k))
        }
        return try InMemorySamples(pixels: pixels, labels: labels)
    }
}
