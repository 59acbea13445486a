import BackendPluginKit
import Foundation
import NeuralKit
import XCTest
@testable import VGG16Transfer

final class FeatureCacheTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("feature-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testRowsSurviveReopeningAndDamagedIndexesAreDropped() throws {
        let dir = folder.appendingPathComponent("c")
        let cache = try FeatureCache(directory: dir, rowLength: 3, flushEvery: 2)
        try cache.insert(1, [1, 2, 3])
        try cache.insert(2, [4, 5, 6])  // triggers a flush
        try cache.insert(3, [7, 8, 9])  // pending only
        XCTAssertEqual(cache.withRow(3) { Array($0) }, [7, 8, 9])
        try cache.flush()

        let reopened = try FeatureCache(directory: dir, rowLength: 3)
        XCTAssertEqual(reopened.count, 3)
        XCTAssertEqual(reopened.withRow(2) { Array($0) }, [4, 5, 6])
        XCTAssertNil(reopened.withRow(99) { Array($0) })

        try Data("garbage".utf8).write(to: reopened.indexURL)
        XCTAssertEqual(try FeatureCache(directory: dir, rowLength: 3).count, 0, "a damaged index starts the cache afresh")
        XCTAssertEqual(try FeatureCache(directory: dir, rowLength: 4).count, 0, "another row length is another cache")
    }

    /// kB of `file` mapped and resident in this process (its Rss in /proc/self/smaps).
    func residentKB(of file: URL) throws -> Int {
        // FileHandle: String(contentsOfFile:) stops after the first 4 KiB of a /proc file.
        let smaps = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps")).readToEnd() ?? Data()
        let lines = String(decoding: smaps, as: UTF8.self).split(separator: "\n")
        var total = 0, inFile = false
        for line in lines {
            let range = line.prefix { $0 != " " }
            if range.contains("-"), range.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                inFile = line.hasSuffix(file.path)  // a mapping's header: "start-end perms offset dev inode path"
            } else if inFile, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
            }
        }
        return total
    }

    /// Reading rows maps their pages into the process; copyRow must hand them back (or a training
    /// epoch keeps the whole feature file resident) and still return the stored bits.
    func testCopyingRowsLeavesNoPagesOfTheMappingResident() throws {
        let rowLength = 8192  // 32 KiB, VGG16's 4x4x512
        let cache = try FeatureCache(directory: folder.appendingPathComponent("r"), rowLength: rowLength)
        let rows = (0..<64).map { r in (0..<rowLength).map { Float(r * rowLength + $0) * 0.5 } }
        for (r, row) in rows.enumerated() { try cache.insert(UInt64(r + 1), row) }
        try cache.flush()

        var sum: Float = 0
        for r in 0..<64 { sum += cache.withRow(UInt64(r + 1)) { $0.reduce(0, +) } ?? 0 }
        XCTAssertGreaterThan(sum, 0)
        XCTAssertGreaterThanOrEqual(try residentKB(of: cache.featuresURL), 64 * 32, "withRow reads through the mapping")

        var copy = [Float](repeating: 0, count: rowLength)
        for r in 0..<64 {
            XCTAssertTrue(copy.withUnsafeMutableBufferPointer { cache.copyRow(UInt64(r + 1), into: $0.baseAddress!) })
            XCTAssertEqual(copy, rows[r])
        }
        XCTAssertEqual(try residentKB(of: cache.featuresURL), 0)
        XCTAssertFalse(copy.withUnsafeMutableBufferPointer { cache.copyRow(999, into: $0.baseAddress!) })
        // Pending rows (not yet in the file) are copied too.
        try cache.insert(500, rows[3])
        XCTAssertTrue(copy.withUnsafeMutableBufferPointer { cache.copyRow(500, into: $0.baseAddress!) })
        XCTAssertEqual(copy, rows[3])
    }

    /// The prefix's executor (about 0.6 GB for VGG16) exists only while crops miss the cache.
    func testThePrefixExecutorIsBuiltOnlyForMisses() throws {
        let pixels = crops(3, seed: 7)
        let model = try backend(weightsSeed: 3)
        XCTAssertFalse(model.hasPrefixRunner)
        let first = try model.features(pixels, [0, 1, 2], 3) as! TensorSamples
        XCTAssertTrue(model.hasPrefixRunner)
        model.releasePrefixRunner()
        let again = try model.features(pixels, [0, 1, 2], 3) as! TensorSamples
        XCTAssertFalse(model.hasPrefixRunner, "every crop hit the cache")
        XCTAssertEqual(again.samples, first.samples)
        _ = try model.features(crops(1, seed: 8), [0], 1)
        XCTAssertTrue(model.hasPrefixRunner)
    }

    /// Random 64x64 "crops" from a seeded generator.
    func crops(_ n: Int, seed: UInt64) -> [UInt8] {
        var g = seed
        return (0..<(n * imageBytes)).map { _ in
            g &+= 1
            return UInt8(truncatingIfNeeded: ContentKey.mix(g) >> 56)
        }
    }

    /// A backend whose cache folder (from the host, in real use) is this test's folder, or none.
    func backend(weightsSeed: UInt64, cached: Bool = true) throws -> VGG16TransferBackend {
        let config = SwiftBackendConfiguration(classCount: 3, seed: weightsSeed, inputScale: 1, hyperParametersJSON: "{}",
                                               cacheDirectory: cached ? folder.path : nil)
        return try VGG16TransferBackend.create(config)
    }

    func testCachedFeaturesAreBitIdenticalToRecomputationAndFollowTheWeights() throws {
        let n = 5
        let pixels = crops(n, seed: 42)
        let labels: [Int32] = [0, 1, 2, 0, 1]
        let model = try backend(weightsSeed: 1)

        let first = try model.features(pixels, labels, n) as! TensorSamples     // computed, then cached
        let cache = try XCTUnwrap(model.featureCache())
        try cache.flush()
        XCTAssertEqual(cache.misses, n)
        let hitsBefore = cache.hits
        let second = try model.features(pixels, labels, n) as! TensorSamples    // read from the cache
        XCTAssertEqual(cache.misses, n, "nothing recomputed")
        XCTAssertEqual(cache.hits - hitsBefore, n)
        XCTAssertEqual(second.samples, first.samples)
        XCTAssertEqual(second.labels, [0, 1, 2, 0, 1])

        // Recomputed directly with the frozen prefix: the very same bits.
        let prefix = try VGG16TransferBackend.network(classes: 3, seed: 1, frozen: 14).prefix(14)
        let x = try Tensor(shape: [n, 64, 64, 3], scalars: pixels.map(Float.init))
        XCTAssertEqual(try Predictor(model: prefix, batchSize: 32).predict(x).scalars, first.samples.scalars)

        // A fresh process (new backend object) finds them on disk.
        let again = try backend(weightsSeed: 1)
        XCTAssertEqual((try again.features(pixels, labels, n) as! TensorSamples).samples, first.samples)
        XCTAssertEqual(try XCTUnwrap(again.featureCache()).misses, 0)

        // Other frozen weights: another cache folder, features computed anew.
        let other = try backend(weightsSeed: 2)
        let otherFeatures = try other.features(pixels, labels, n) as! TensorSamples
        XCTAssertEqual(try XCTUnwrap(other.featureCache()).misses, n)
        XCTAssertNotEqual(try XCTUnwrap(other.featureCache()).directory, try XCTUnwrap(again.featureCache()).directory)
        XCTAssertTrue(try XCTUnwrap(again.featureCache()).directory.path.hasPrefix(folder.path + "/features/"),
                      "the cache lives in the folder the host gave")

        // No cache folder from the host: the same features, computed every time, nothing cached.
        let uncached = try backend(weightsSeed: 1, cached: false)
        XCTAssertNil(try uncached.featureCache())
        XCTAssertEqual((try uncached.features(pixels, labels, n) as! TensorSamples).samples, first.samples)
        XCTAssertEqual((try uncached.features(pixels, labels, n) as! TensorSamples).samples, first.samples)
        XCTAssertNotEqual(otherFeatures.samples, first.samples)
    }
}

final class FreezePointTests: XCTestCase {
    /// freeze_layers 1 (only Keras' input layer) trains everything: no prefix, no cache.
    func testNothingFrozenTrainsOnTheImagesThemselves() throws {
        let config = SwiftBackendConfiguration(classCount: 2, seed: 1, inputScale: 1, hyperParametersJSON: #"{"freeze_layers": 1}"#)
        let backend = try VGG16TransferBackend.create(config)
        XCTAssertEqual(backend.frozenCount, 0)
        let pixels = [UInt8](repeating: 7, count: 2 * imageBytes)
        let data = try backend.features(pixels, [0, 1], 2) as! TensorSamples
        XCTAssertEqual(data.samples.shape, [2, 64, 64, 3])
        XCTAssertEqual(data.samples.scalars.first, 7)
    }
}

final class HyperParameterTests: XCTestCase {
    func testBadValuesAreNamedAndOneIsANumberNotABool() throws {
        func make(_ json: String) throws -> VGG16TransferBackend {
            try VGG16TransferBackend.create(SwiftBackendConfiguration(classCount: 2, seed: 1, inputScale: 1, hyperParametersJSON: json))
        }
        XCTAssertThrowsError(try make(#"{"freeze_layers": 40}"#)) { XCTAssertTrue("\($0)".contains("'freeze_layers' must be a number in 0.0...19.0"), "\($0)") }
        XCTAssertThrowsError(try make(#"{"momentum": true}"#)) { XCTAssertTrue("\($0)".contains("'momentum'"), "\($0)") }
        XCTAssertThrowsError(try make(#"{"preprocess": "sepia"}"#)) { XCTAssertTrue("\($0)".contains("auto, raw or caffe"), "\($0)") }
        XCTAssertThrowsError(try make(#"{"weights": "relative.h5"}"#)) { XCTAssertTrue("\($0)".contains("absolute path"), "\($0)") }
        XCTAssertThrowsError(try make("[1, 2]")) { XCTAssertTrue("\($0)".contains("not a JSON object"), "\($0)") }
        XCTAssertEqual(try make(#"{"freeze_layers": 19, "unknown_key": [1]}"#).frozenCount, 18)
    }
}
