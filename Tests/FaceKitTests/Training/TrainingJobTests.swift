import Foundation
import XCTest
import SharedTestSupport
import FaceKit

final class TrainingJobTests: XCTestCase {
    var root: URL!
    override func setUpWithError() throws { root = try makeTemporaryDirectory("tribelens-job") }
    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    let classes = ["TAKAHIRO", "AKIRA", "NAOTO", "RYUJI"]
    let groups = ["TAKAHIRO": ["EXILE"], "AKIRA": ["EXILE"], "NAOTO": ["EXILE", "3JSB"], "RYUJI": ["3JSB"]]

    private func request(_ name: String, preset: TrainingPreset = .recommended, epochs: Int = 6) -> TrainingRequest {
        var config = preset.configuration(seed: 3)
        config.epochs = epochs
        config.batchSize = 16
        config.learningRate = 0.05
        return TrainingRequest(modelName: name, preset: preset, configuration: config, hyperParameters: ["pool": .number(4)],
                               classes: classes, roster: "ldh-test", memberGroups: groups, datasetFingerprint: "fp-1",
                               preprocessing: ["detector": .string("haar-original"), "crop_side": .number(64)])
    }

    func testTrainEvaluateSaveReloadPredictEndToEnd() throws {
        let backend = try TestPlugins.linear()
        let train = try SyntheticFaces.make(classes: 4, perClass: 25, seed: 1)
        let validation = try SyntheticFaces.make(classes: 4, perClass: 5, seed: 2)
        let test = try SyntheticFaces.make(classes: 4, perClass: 10, seed: 3)
        let store = ModelStore(root: root)
        var epochLines: [String] = []
        let outcome = try TrainingJob.run(backend: backend, request: request("ldh"), training: train, validation: validation,
                                          test: test, store: store) { event in
            if case .epochEnded(let record) = event { epochLines.append(record.line(of: 6)) }
        }
        let manifest = try XCTUnwrap(outcome.manifest)
        XCTAssertEqual(epochLines.count, outcome.result.history.count)
        XCTAssertTrue(epochLines[0].hasPrefix("Epoch 1/6 - "), epochLines[0])
        XCTAssertEqual(manifest.hyperParameters, ["pool": .number(4), "momentum": .number(0.9)],
                       "backend default overridden by the user, preset key added")
        XCTAssertEqual(manifest.inputScale, 1.0 / 255.0)
        XCTAssertEqual(manifest.preprocessing["detector"], .string("haar-original"))
        let metrics = try XCTUnwrap(manifest.testMetrics)
        XCTAssertGreaterThan(metrics.accuracy, 0.9, "4 classes: chance is 0.25")
        XCTAssertEqual(try store.manifest(of: "ldh"), manifest)
        // A softmax backend gets its "unknown" bar from the validation faces (20 here).
        XCTAssertNil(manifest.openSet)
        let naming = try XCTUnwrap(manifest.naming)
        XCTAssertEqual(naming.targetPrecision, ConfidenceThreshold.namingPrecision)
        XCTAssertEqual(naming.validationFaces, 20)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(naming.validationPrecision), ConfidenceThreshold.namingPrecision)

        // Reload from disk: same predictions, same metrics.
        let predictor = try FacePredictor(store: store, name: "ldh", backends: [backend], policy: PredictionPolicy(threshold: 0.3))
        let again = try ModelEvaluation.report(predictor.model, on: test, classes: classes, memberGroups: groups)
        XCTAssertEqual(again, metrics)
        let twoFaces = try test.subset([0, 4])  // both TAKAHIRO
        let labels = try predictor.labelFaces(pixels: twoFaces.pixels, count: 2)
        XCTAssertEqual(labels.count, 2)
        XCTAssertEqual(labels.filter { $0.member == "TAKAHIRO" }.count, 1, "one photo never names a member twice")
    }

    func testCancelledOrDivergedRunsSaveNothing() throws {
        let backend = try TestPlugins.linear()
        let train = try SyntheticFaces.make(classes: 4, perClass: 5, seed: 1)
        let store = ModelStore(root: root)
        let flag = CancellationFlag()
        flag.cancel()
        let cancelled = try TrainingJob.run(backend: backend, request: request("c"), training: train, validation: train,
                                            test: train, store: store, cancellation: flag)
        XCTAssertEqual(cancelled.result.stop, .cancelled)
        XCTAssertNil(cancelled.manifest)
        var wild = request("d", preset: .original)
        wild.configuration.learningRate = 1e30
        let diverged = try TrainingJob.run(backend: backend, request: wild, training: train, validation: train, test: train, store: store)
        guard case .diverged = diverged.result.stop else { return XCTFail("\(diverged.result.stop)") }
        XCTAssertEqual(store.list().count, 0)
    }

    func testRequestsAreCheckedBeforeTraining() throws {
        let backend = try TestPlugins.linear()
        let train = try SyntheticFaces.make(classes: 4, perClass: 2, seed: 1)
        let store = ModelStore(root: root)
        var duplicate = request("ok")
        duplicate.classes = ["A", "A", "B", "C"]
        XCTAssertThrowsError(try TrainingJob.run(backend: backend, request: duplicate, training: train, validation: nil, test: nil, store: store))
        XCTAssertThrowsError(try TrainingJob.run(backend: backend, request: request("bad/name"), training: train, validation: nil, test: nil, store: store))
        var badHyper = request("ok")
        badHyper.hyperParameters = ["pool": .number(5)]
        XCTAssertThrowsError(try TrainingJob.run(backend: backend, request: badHyper, training: train, validation: nil, test: nil, store: store)) {
            XCTAssertTrue("\($0)".contains("pool"), "\($0)")
        }
    }
}
