import Foundation
import XCTest

/// FaceKit's folders are layers: a file uses types of its own folder and of the folders below it,
/// never above (docs/architecture.md, "FaceKit's folders", lists the same order). A new folder
/// needs its place here.
final class FolderLayerTests: XCTestCase {
    /// Lowest first.
    static let faceKitLayers = [
        "Storage", "Hashing", "Isolation", "Photos", "Detection", "Roster", "Weights", "Backend", "Dataset",
        "Evaluation", "Training", "Models", "Prediction", "TrainingJobs", "PluginHost", "Settings",
    ]

    private static let faceKitSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/FaceKit", isDirectory: true)

    func testEachFaceKitFolderUsesOnlyTheFoldersBelowIt() throws {
        let report = try LayerCheck(root: Self.faceKitSources, layers: Self.faceKitLayers).run()
        XCTAssertEqual(report.unplaced, [], "FaceKit folders without a place in faceKitLayers (and docs/architecture.md)")
        XCTAssertEqual(report.unfoldered, [], "FaceKit files outside a folder")
        XCTAssertTrue(report.violations.isEmpty, "\n" + report.violations.map(\.description).joined(separator: "\n"))
    }

    /// The check can fail: an upward use in code or in an interpolation is caught, the same name
    /// in a comment, a string or as a member is not.
    func testTheCheckFindsAnUpwardUse() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tl-layers-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: root) }
        func file(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try file("Low/Base.swift", """
            /// Not `Upper`: /* Upper */
            public struct Base {
                var name = "Upper \\("Upper") #\\(1)"
                var raw = #"Upper \\(Upper)"#
                var member: Int { other.Upper }
                var note = \"\"\"
                    Upper "quoted" \\(Helper.make())
                    \"\"\"
            }
            func lowHelper() {}
            """)
        try file("Low/Nested/Deep.swift", "struct Deep { let base: Base }\n")
        try file("High/Upper.swift", "@MainActor public final class Upper { let base = Base(); func f() { lowHelper() } }\n")
        try file("High/Helper.swift", "enum Helper { static func make() -> Int { 1 } }\nlet highGlobal = 1\n")
        try file("Low/UsesGlobal.swift", "let x = highGlobal\n")
        try file("Stray.swift", "struct Stray {}\n")
        try file("Extra/Thing.swift", "struct Thing {}\n")

        let report = try LayerCheck(root: root, layers: ["Low", "High"]).run()
        XCTAssertEqual(report.violations.map(\.description), [
            "Low/Base.swift uses Helper from High/, which lies above Low/",
            "Low/UsesGlobal.swift uses highGlobal from High/, which lies above Low/",
        ])
        XCTAssertEqual(report.unplaced, ["Extra"])
        XCTAssertEqual(report.unfoldered, ["Stray.swift"])
    }
}
