import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// The real scratch-CNN plugin (NeuralKit behind the C ABI), loaded through the host and trained
/// on real faces.
final class ScratchCNNPluginTests: XCTestCase {
    /// 64x64 crops of the largest Haar face in each photo of the `people` with most photos.
    static func lfwCrops(people: Int, perPerson: Int) throws -> (names: [String], samples: [(pixels: [UInt8], label: Int32)]) {
        let root = try SharedData.url("data/lfw-dev38")
        let folders = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)
            .map { ($0, PhotoFiles.collect([$0])) }
            .sorted { ($0.1.count, $1.0.lastPathComponent) > ($1.1.count, $0.0.lastPathComponent) }
            .prefix(people)
        let detector = try HaarDetector()
        let loader = PhotoLoader()
        var samples: [(pixels: [UInt8], label: Int32)] = []
        for (label, (_, photos)) in folders.enumerated() {
            for url in photos.prefix(perPerson) {
                let image = try loader.load(url)
                guard let face = try detector.detect(in: image).max(by: { $0.area < $1.area }) else { continue }
                samples.append((try image.cropped(to: face).resized(width: 64, height: 64).pixels, Int32(label)))
            }
        }
        return (folders.map { $0.0.lastPathComponent }, samples)
    }

    func testTrainsOnLFWFacesWellAboveChanceAndReloadsToIdenticalPredictions() throws {
        let backend = try PluginLoader.load(TestPlugins.url("ScratchCNN"))
        XCTAssertEqual(backend.info.id, "scratch-cnn")
        let (names, samples) = try Self.lfwCrops(people: 5, perPerson: 30)
        // Every fifth crop of each person to the test set, as the write-up's len//5.
        var train: [(pixels: [UInt8], label: Int32)] = [], test: [(pixels: [UInt8], label: Int32)] = []
        for (i, s) in samples.enumerated() { if i % 5 == 0 { test.append(s) } else { train.append(s) } }
        let trainSet = try InMemorySamples(pixels: train.flatMap(\.pixels), labels: train.map(\.label))
        let testSet = try InMemorySamples(pixels: test.flatMap(\.pixels), labels: test.map(\.label))

        let root = try temporaryFolder(self)
        var config = TrainingPreset.recommended.configuration(seed: 7)
        config.epochs = 25
        config.batchSize = 16
        let request = TrainingRequest(modelName: "lfw5", preset: .recommended, configuration: config,
                                      classes: names, roster: "lfw-test", memberGroups: [:], datasetFingerprint: "lfw5")
        let outcome = try TrainingJob.run(backend: backend, request: request, training: trainSet, validation: testSet,
                                          test: testSet, store: ModelStore(root: root))
        let metrics = try XCTUnwrap(outcome.manifest?.testMetrics)
        print("scratch-cnn on \(samples.count) LFW crops of 5 people: test accuracy \(metrics.accuracy) after \(outcome.result.history.count) epochs")
        XCTAssertGreaterThan(metrics.accuracy, 0.5, "5 people: chance is 0.2")

        // Saved and loaded again through the plugin: the same probabilities, bit for bit.
        let store = ModelStore(root: root)
        let reloaded = try FacePredictor(store: store, name: "lfw5", backends: [backend])
        let before = try ModelEvaluation.predictAll(reloaded.model, on: testSet)
        let again = try FacePredictor(store: store, name: "lfw5", backends: [backend])
        XCTAssertEqual(try ModelEvaluation.predictAll(again.model, on: testSet).probabilities, before.probabilities)
        XCTAssertEqual(try ModelEvaluation.report(again.model, on: testSet, classes: names, memberGroups: [:]).accuracy,
                       metrics.accuracy)
    }
}
