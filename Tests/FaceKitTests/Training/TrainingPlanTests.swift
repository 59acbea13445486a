import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// The resolution `tribelens-cli train` and the training panel share: preset, then backend,
/// then the user's values; the weights rule; which part validates; and a full train through a
/// plan without a model store (the panel saves later, under a name the user picks).
final class TrainingPlanTests: XCTestCase {
    private var home: URL!
    private var storage: DatasetStorage!
    private var dataset: DatasetManifest!
    private let members = ["George_Robertson", "Jennifer_Aniston", "Paul_Bremer"]

    override func setUpWithError() throws {
        let lfw = try DatasetTestSupport.shared("lfw-dev38")
        (home, storage) = try DatasetTestSupport.temporaryHome("plan")
        var builder = DatasetBuilder(roster: DatasetTestSupport.roster(members), storage: storage, preset: .recommended,
                                     source: .custom(cacheKey: "fake-centre", detector: DatasetTestSupport.centreDetector))
        builder.seed = 5
        dataset = try builder.build(photoRoot: lfw, name: "plan").manifest
    }

    override func tearDown() { if let home { try? FileManager.default.removeItem(at: home) } }

    private func info(defaults: String) -> BackendInfo {
        BackendInfo(id: "b", version: "1", displayName: "B", description: "", defaultHyperParametersJSON: defaults,
                    abiMajor: 1, abiMinor: 0)
    }

    func testDefaultsComeFromThePresetThenTheBackendThenTheUser() throws {
        let plain = try TrainingPlan.make(dataset: dataset, backend: info(defaults: "{}"), modelName: "m", options: TrainingOptions())
        XCTAssertEqual(plain.request.preset, .recommended, "the dataset's preset when none is chosen")
        XCTAssertEqual(plain.request.configuration, TrainingPreset.recommended.configuration(seed: 0))
        XCTAssertFalse(plain.validatesOnTestSet)
        XCTAssertEqual(plain.request.classes, dataset.classes)
        XCTAssertEqual(plain.request.datasetFingerprint, dataset.fingerprint)
        XCTAssertEqual(plain.request.preprocessing["dataset"], .string("plan"))

        let backendRate = try TrainingPlan.make(dataset: dataset, backend: info(defaults: #"{"learning_rate": 0.0001}"#),
                                                modelName: "m", options: TrainingOptions(preset: .original, seed: 9))
        XCTAssertEqual(backendRate.request.configuration.learningRate, 0.0001)
        XCTAssertEqual(backendRate.request.configuration.seed, 9)
        XCTAssertTrue(backendRate.validatesOnTestSet, "original validates on the test set, as the write-up")

        let user = try TrainingPlan.make(dataset: dataset, backend: info(defaults: #"{"learning_rate": 0.0001}"#), modelName: "m",
                                         options: TrainingOptions(epochs: 7, batchSize: 8, learningRate: 0.05, augment: false))
        XCTAssertEqual(user.request.configuration.epochs, 7)
        XCTAssertEqual(user.request.configuration.batchSize, 8)
        XCTAssertEqual(user.request.configuration.learningRate, 0.05)
        XCTAssertEqual(user.request.preprocessing["augmented"], .bool(false))
    }

    func testBadValuesAndMissingWeightsAreClearProblems() throws {
        XCTAssertThrowsError(try TrainingPlan.make(dataset: dataset, backend: info(defaults: "{}"), modelName: "m",
                                                   options: TrainingOptions(epochs: 0))) {
            XCTAssertEqual("\($0)", "epochs must be at least 1, got 0")
        }
        let vgg = info(defaults: #"{"weights": "imagenet", "learning_rate": 0.0001}"#)
        XCTAssertTrue(TrainingPlan.usesPretrainedWeights(vgg))
        XCTAssertFalse(TrainingPlan.usesPretrainedWeights(info(defaults: "{}")))
        let none = try TrainingPlan.make(dataset: dataset, backend: vgg, modelName: "m", options: TrainingOptions(weights: .none))
        XCTAssertEqual(none.request.hyperParameters["weights"], .string("none"))
        XCTAssertThrowsError(try TrainingPlan.make(dataset: dataset, backend: vgg, modelName: "m",
                                                   options: TrainingOptions(weights: .file("/nonexistent/vgg16.h5")))) {
            XCTAssertEqual("\($0)", "cannot read weights file /nonexistent/vgg16.h5")
        }
        let file = home.appendingPathComponent("w.h5")
        try Data("x".utf8).write(to: file)
        let given = try TrainingPlan.make(dataset: dataset, backend: vgg, modelName: "m", options: TrainingOptions(weights: .file(file.path)))
        XCTAssertEqual(given.request.hyperParameters["weights"], .string(file.standardizedFileURL.path))
        let plain = try TrainingPlan.make(dataset: dataset, backend: info(defaults: "{}"), modelName: "m", options: TrainingOptions())
        XCTAssertNil(plain.request.hyperParameters["weights"], "backends without weights get no weights key")
    }

    func testSamplesFollowThePresetAndAugmentation() throws {
        let counts = dataset.counts
        let plain = try TrainingPlan.make(dataset: dataset, backend: info(defaults: "{}"), modelName: "m",
                                          options: TrainingOptions(augment: false))
        let (train, validation, test) = try plain.samples(of: dataset, storage: storage)
        XCTAssertEqual(train.count, counts.train)
        XCTAssertEqual(validation.count, counts.validation)
        XCTAssertGreaterThan(counts.validation, 0)
        XCTAssertEqual(test.count, counts.test)

        let original = try TrainingPlan.make(dataset: dataset, backend: info(defaults: "{}"), modelName: "m",
                                             options: TrainingOptions(preset: .original))
        let (augmented, onTest, _) = try original.samples(of: dataset, storage: storage)
        XCTAssertEqual(augmented.count, 9 * counts.train)
        XCTAssertEqual(onTest.count, counts.test, "the original preset validates on the test set")
    }

    /// The panel's path: train without a store, nothing written, then save under a chosen name.
    func testTrainingWithoutAStoreSavesNothingUntilAsked() throws {
        let backend = try TestPlugins.linear()
        let plan = try TrainingPlan.make(dataset: dataset, backend: backend.info, modelName: "unsaved",
                                         options: TrainingOptions(epochs: 2, batchSize: 16, learningRate: 0.05, augment: false))
        let (train, validation, test) = try plan.samples(of: dataset, storage: storage)
        let store = ModelStore(root: home.appendingPathComponent("models"))
        let outcome = try TrainingJob.run(backend: backend, request: plan.request, training: train, validation: validation,
                                          test: test, store: nil)
        XCTAssertFalse(outcome.saved)
        let manifest = try XCTUnwrap(outcome.manifest)
        XCTAssertNotNil(manifest.testMetrics)
        XCTAssertEqual(store.list().count, 0)
        try store.save(name: "chosen", manifest: manifest, model: outcome.result.model)
        XCTAssertEqual(try store.manifest(of: "chosen"), manifest)
    }
}
