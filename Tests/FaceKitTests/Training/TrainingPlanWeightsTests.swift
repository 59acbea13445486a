import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// `TrainingPlan.isolateWeights`: the weights path a plugin gets is the published file or a
/// converted copy; a file libhdf5 chokes on is a `Problem` naming it (details in
/// VGG16TransferTests' KerasWeightsImportTests).
final class TrainingPlanWeightsTests: XCTestCase {
    var home: URL!
    var savedDataHome: String?

    override func setUpWithError() throws {
        home = try makeTemporaryDirectory("tribelens-plan-weights")
        savedDataHome = ProcessInfo.processInfo.environment["XDG_DATA_HOME"]
        setenv("XDG_DATA_HOME", home.appendingPathComponent("data").path, 1)
    }

    override func tearDown() {
        if let savedDataHome { setenv("XDG_DATA_HOME", savedDataHome, 1) } else { unsetenv("XDG_DATA_HOME") }
        try? FileManager.default.removeItem(at: home)
    }

    func plan(weights: String?) -> TrainingPlan {
        var hyper: [String: JSONValue] = ["freeze_layers": .number(15)]
        if let weights { hyper["weights"] = .string(weights) }
        let request = TrainingRequest(modelName: "m", preset: .original, configuration: TrainingPreset.original.configuration(seed: 0),
                                      hyperParameters: hyper, classes: ["a", "b"], roster: "r", memberGroups: [:], datasetFingerprint: "f")
        return TrainingPlan(request: request, augment: false, validatesOnTestSet: true)
    }

    func converter() throws -> IsolatedRun {
        let url = TestPlugins.directory.appendingPathComponent(HelperExecutable.converter)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BackendError(.io, "\(HelperExecutable.converter) not found in \(TestPlugins.directory.path); build all products first")
        }
        return IsolatedRun(executable: url)
    }

    func testNoWeightsAndNoneAreLeftAlone() throws {
        var without = plan(weights: nil)
        try without.isolateWeights(runner: nil)
        XCTAssertNil(without.request.hyperParameters["weights"])
        var none = plan(weights: "none")
        try none.isolateWeights(runner: nil)
        XCTAssertEqual(none.request.hyperParameters["weights"], .string("none"))
    }

    func testAFileThatIsNotKerasWeightsIsAProblemNamingIt() throws {
        let file = home.appendingPathComponent("w.h5")
        try Data("x".utf8).write(to: file)
        var given = plan(weights: file.path)
        XCTAssertThrowsError(try given.isolateWeights(runner: try converter())) { error in
            XCTAssertTrue(error is TrainingPlan.Problem)
            XCTAssertEqual("\(error)", "cannot use the weights file \(file.path): w.h5: not an HDF5 file (Keras weights are .h5 files)")
        }
        XCTAssertEqual(given.request.hyperParameters["weights"], .string(file.path), "unchanged when refused")
    }
}
