import BackendPluginKit
import Foundation
import XCTest
import NeuralPluginSupport

/// The settings file a NeuralKit plugin saves next to its weights: read back as written, and a
/// file this version cannot rebuild a network from is a format error, not a bad network.
final class SavedSettingsTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("saved-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testWrittenSettingsReadBackEqual() throws {
        let settings = SavedSettings(classes: 24, inputScale: 1.0 / 255, momentum: 0.9, extra: ["weights": "imagenet", "freeze": "15"])
        try settings.write(folder.path, file: "settings.json", plugin: "p")
        XCTAssertEqual(try SavedSettings.read(folder.path, file: "settings.json", plugin: "p"), settings)
        XCTAssertEqual(SavedSettings(classes: 2, inputScale: 1, momentum: 0).extra, [:])
    }

    func testMissingOrUnreadableFilesAreNamedErrors() throws {
        XCTAssertThrowsError(try SavedSettings.read(folder.path, file: "none.json", plugin: "p")) {
            guard case SwiftBackendError.io(let message) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(message, "p: cannot read \(self.folder.appendingPathComponent("none.json").path)")
        }
        let valid = #"{"format": 1, "classes": 3, "inputScale": 1, "momentum": 0.9, "extra": {}}"#
        for (name, text) in [("future", valid.replacingOccurrences(of: #""format": 1"#, with: #""format": 2"#)),
                             ("one-class", valid.replacingOccurrences(of: #""classes": 3"#, with: #""classes": 1"#)),
                             ("no-scale", valid.replacingOccurrences(of: #""inputScale": 1"#, with: #""inputScale": 0"#)),
                             ("not-json", "weights")] {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            XCTAssertThrowsError(try SavedSettings.read(folder.path, file: name, plugin: "p"), name) {
                guard case SwiftBackendError.format(let message) = $0 else { return XCTFail("\(name): \($0)") }
                XCTAssertTrue(message.hasSuffix("is not a settings file this version understands"), message)
            }
        }
        try Data(valid.utf8).write(to: folder.appendingPathComponent("valid"))
        XCTAssertEqual(try SavedSettings.read(folder.path, file: "valid", plugin: "p").classes, 3)
    }

    /// A hostile class count is refused before a plugin builds a network that size (the fuzz
    /// suite's `models` family: 2147483648 classes aborted the process allocating a terabyte).
    func testClassCountsNoRosterHasAreRefused() throws {
        let valid = #"{"format": 1, "classes": 3, "inputScale": 1, "momentum": 0.9, "extra": {}}"#
        for classes in [SavedSettings.maximumClasses + 1, 2_147_483_648, Int.max] {
            try Data(valid.replacingOccurrences(of: #""classes": 3"#, with: #""classes": \#(classes)"#).utf8).write(to: folder.appendingPathComponent("big"))
            XCTAssertThrowsError(try SavedSettings.read(folder.path, file: "big", plugin: "p")) {
                guard case SwiftBackendError.format(let message) = $0 else { return XCTFail("\($0)") }
                XCTAssertEqual(message, "p: \(self.folder.appendingPathComponent("big").path) says \(classes) classes; a model has at most 10000")
            }
        }
        try Data(valid.replacingOccurrences(of: #""classes": 3"#, with: #""classes": 10000"#).utf8).write(to: folder.appendingPathComponent("most"))
        XCTAssertEqual(try SavedSettings.read(folder.path, file: "most", plugin: "p").classes, 10_000)
    }
}
