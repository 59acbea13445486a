import FaceKit
import Foundation
import XCTest

/// Issue 15, item 10: a .h5 the user chooses when the ImageNet download fails. The published
/// file would be copied under its name; any other goes through the child-process conversion
/// and becomes what `WeightsLocator.find(.vgg16)`, and so training, uses.
final class ChosenKerasWeightsTests: XCTestCase {
    var home: URL!
    var previousDataHome: String?
    var previousHome: String?

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("chosen-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        previousDataHome = ProcessInfo.processInfo.environment["XDG_DATA_HOME"]
        previousHome = ProcessInfo.processInfo.environment["HOME"]
        setenv("XDG_DATA_HOME", home.appendingPathComponent("data").path, 1)
        setenv("HOME", home.path, 1)  // no ~/.keras/models of the developer's
    }

    override func tearDown() {
        if let previousDataHome { setenv("XDG_DATA_HOME", previousDataHome, 1) } else { unsetenv("XDG_DATA_HOME") }
        if let previousHome { setenv("HOME", previousHome, 1) } else { unsetenv("HOME") }
        try? FileManager.default.removeItem(at: home)
    }

    /// tribelens-convert, built next to the tests (a failure, not a skip, when it is missing).
    func runner() throws -> IsolatedRun {
        let exe = try XCTUnwrap(HelperExecutable.runningExecutable())
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(HelperExecutable.converter).path) {
            dir = dir.deletingLastPathComponent()
        }
        let url = dir.appendingPathComponent(HelperExecutable.converter)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: url.path), "\(url.path) is not built")
        return IsolatedRun(executable: url)
    }

    func testAnotherH5IsConvertedAndThenFound() throws {
        XCTAssertNil(WeightsLocator.find(.vgg16))
        XCTAssertNil(ChosenKerasWeights.chosen())
        let runner = try runner()
        let installed = try ChosenKerasWeights.install(KerasWeightsImportTests.smallFixture, runner: runner)
        let sha256 = try ContentHash.sha256(ofFile: KerasWeightsImportTests.smallFixture)
        let expected = KerasWeightsImport.convertedFolder.appendingPathComponent("\(sha256).safetensors")
        XCTAssertEqual(installed, .converted(expected, source: KerasWeightsImportTests.smallFixture.standardizedFileURL))
        XCTAssertTrue(FileManager.default.fileExists(atPath: expected.path))
        XCTAssertEqual(ChosenKerasWeights.chosen(), installed)
        XCTAssertEqual(WeightsLocator.find(.vgg16), expected)
        // What training does with it: the converted copy is read as it is, not converted again.
        XCTAssertEqual(try KerasWeightsImport.safeFile(for: expected, runner: nil), expected)

        // The published file, once installed, wins over the choice.
        let published = WeightsLocator.ownFolder.appendingPathComponent(PretrainedWeights.vgg16.fileName)
        try Data("not really".utf8).write(to: published)
        XCTAssertEqual(WeightsLocator.find(.vgg16), published)
        try FileManager.default.removeItem(at: published)

        // A choice whose copy was deleted is no choice.
        try FileManager.default.removeItem(at: expected)
        XCTAssertNil(ChosenKerasWeights.chosen())
        XCTAssertNil(WeightsLocator.find(.vgg16))
    }

    func testAFileThatIsNotKerasIsRefusedByNameAndNothingIsRecorded() throws {
        let text = home.appendingPathComponent("notes.h5")
        try Data("hello".utf8).write(to: text)
        XCTAssertThrowsError(try ChosenKerasWeights.install(text, runner: try runner())) {
            XCTAssertTrue("\($0)".hasPrefix("cannot use the weights file \(text.path): "), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: ChosenKerasWeights.recordFile.path))
        XCTAssertNil(WeightsLocator.find(.vgg16))
    }
}
