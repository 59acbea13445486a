import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Runs `tribelens-cli dataset build|check|list` as a user would, with XDG folders in a temporary
/// home, and checks that the photo folder is byte-identical after every command.
final class DatasetCLITests: XCTestCase {
    private func cli() throws -> URL {
        // The test runner and the CLI are built into the same products folder.
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [products, products.deletingLastPathComponent()].map { $0.appendingPathComponent("tribelens-cli") }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("tribelens-cli is not built next to the tests (\(products.path)); build all products first")
        }
        let help = try run(binary, ["dataset", "--help"], home: FileManager.default.temporaryDirectory)
        // An unknown subcommand followed by --help prints the root help, so look for ours.
        guard help.status == 0, help.stdout.contains("tribelens-cli dataset") else {
            throw XCTSkip("tribelens-cli has no `dataset` command registered yet (TribeLensCLI's subcommands must list DatasetCommand)")
        }
        return binary
    }

    private struct Result { var status: Int32; var stdout: String; var stderr: String }

    private func run(_ binary: URL, _ arguments: [String], home: URL) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = home.appendingPathComponent("cache").path
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["HOME"] = home.appendingPathComponent("home").path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    func testBuildCheckListThroughTheCLILeavePhotosUntouched() throws {
        let binary = try cli()
        let lfw = try DatasetTestSupport.shared("lfw-dev38")
        let home = try temporaryFolder(self)
        let members = ["Jennifer_Lopez", "Naomi_Watts"]
        let photos = try DatasetTestSupport.copySubset(of: lfw, members: members, limit: 6, into: home)
        let rosterFile = home.appendingPathComponent("roster.json")
        try JSONEncoder().encode(DatasetTestSupport.roster(members, id: "cli")).write(to: rosterFile)
        let before = try DatasetTestSupport.snapshot(photos)

        let build = try run(binary, ["dataset", "build", "--photos", photos.path, "--roster", rosterFile.path, "--preset", "original",
                                     "--seed", "3", "--name", "cli-set", "--json"], home: home)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), before)
        let built = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(build.stdout.utf8)) as? [String: Any])
        let dataset = try XCTUnwrap(built["dataset"] as? [String: Any])
        let train = try XCTUnwrap(dataset["train"] as? Int), test = try XCTUnwrap(dataset["test"] as? Int)
        // The original preset keeps every Haar hit, so a photo may give several crops: the
        // write-up's rule is len // 5 of each member's crops to test.
        let perMember = try XCTUnwrap(dataset["perMember"] as? [String: [String: Int]])
        XCTAssertEqual(perMember.count, 2)
        for (member, parts) in perMember {
            let crops = (parts["train"] ?? 0) + (parts["test"] ?? 0)
            XCTAssertGreaterThanOrEqual(crops, 6, member)
            XCTAssertEqual(parts["test"] ?? 0, crops / 5, member)
        }
        XCTAssertEqual(test, perMember.values.reduce(0) { $0 + ($1["test"] ?? 0) })
        XCTAssertEqual(dataset["augmentedTrain"] as? Int, 9 * train)
        XCTAssertEqual(train + test, (dataset["crops"] as? Int))
        XCTAssertTrue(build.stderr.contains("12/12 photos"), build.stderr)
        // Everything went to the temporary XDG folders.
        XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("data/tribelens/datasets/cli-set/manifest.json").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("cache/tribelens/faces/haar-original-v2").path))

        let check = try run(binary, ["dataset", "check", "--photos", photos.path, "--roster", rosterFile.path, "--preset", "original", "--json"], home: home)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), before)
        let report = try JSONDecoder().decode(HealthReport.self, from: Data(check.stdout.utf8))
        XCTAssertEqual(report.totals.photos, 12)
        XCTAssertEqual(report.totals.photosFromCache, 12, "the build already extracted these photos")

        let checkByName = try run(binary, ["dataset", "check", "--name", "cli-set"], home: home)
        XCTAssertEqual(checkByName.status, 0, checkByName.stderr)
        XCTAssertTrue(checkByName.stdout.contains("Roster cli, preset original"), checkByName.stdout)
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), before)

        let list = try run(binary, ["dataset", "list", "--json"], home: home)
        XCTAssertEqual(list.status, 0, list.stderr)
        let listed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["name"] as? String }, ["cli-set"])
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), before)

        // Reject every crop of one photo, rename the photo, rebuild: the rejection holds.
        let victim = try XCTUnwrap(report.members.first).folders[0] + "/"
            + (try FileManager.default.contentsOfDirectory(atPath: photos.appendingPathComponent(members[0]).path).sorted()[0])
        let curate = try run(binary, ["dataset", "curate", "--name", "cli-set", "--photo", victim, "--reject"], home: home)
        XCTAssertEqual(curate.status, 0, curate.stderr)
        XCTAssertTrue(curate.stdout.hasPrefix("rejected for "), curate.stdout)
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), before)
        let renamed = members[0] + "/renamed.jpg"
        try FileManager.default.moveItem(at: photos.appendingPathComponent(victim), to: photos.appendingPathComponent(renamed))
        let afterRename = try DatasetTestSupport.snapshot(photos)
        let rebuild = try run(binary, ["dataset", "build", "--photos", photos.path, "--roster", rosterFile.path, "--preset", "original",
                                       "--seed", "3", "--name", "cli-set", "--json"], home: home)
        XCTAssertEqual(rebuild.status, 0, rebuild.stderr)
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), afterRename)
        let rebuilt = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rebuild.stdout.utf8)) as? [String: Any])
        let unusable = try XCTUnwrap((rebuilt["report"] as? [String: Any])?["unusableFiles"] as? [[String: String]])
        XCTAssertTrue(unusable.contains { $0["path"] == renamed && $0["problem"] == "every face excluded (rejected)" }, "\(unusable)")
        let listing = try run(binary, ["dataset", "curate", "--name", "cli-set", "--photo", renamed, "--list"], home: home)
        XCTAssertTrue(listing.stdout.contains("excluded: rejected [decision: rejected]"), listing.stdout)
    }

    /// A damaged JPEG (decoded anyway) is listed by `dataset check` as well as `dataset build`, in
    /// our words and once, from the face cache the build filled or from a fresh extraction.
    func testCheckListsDamagedFilesAsBuildDoes() throws {
        let binary = try cli()
        let home = try temporaryFolder(self)
        let photos = home.appendingPathComponent("photos", isDirectory: true)
        let member = photos.appendingPathComponent("Naomi_Watts", isDirectory: true)
        try FileManager.default.createDirectory(at: member, withIntermediateDirectories: true)
        let plain = home.appendingPathComponent("plain.jpg")
        try TestImages.gradient(width: 64, height: 48).write(to: plain)
        try TestImages.cutScan(of: plain, to: member.appendingPathComponent("damaged.jpg"))
        let rosterFile = home.appendingPathComponent("roster.json")
        try JSONEncoder().encode(DatasetTestSupport.roster(["Naomi_Watts"], id: "dmg")).write(to: rosterFile)
        let line = "Naomi_Watts/damaged.jpg: damaged JPEG data, decoded anyway; the decoder said: "
            + "Corrupt JPEG data: premature end of data segment"
        for pass in ["fresh", "from the build's cache"] {
            if pass != "fresh" {
                _ = try run(binary, ["dataset", "build", "--photos", photos.path, "--roster", rosterFile.path, "--name", "dmg"], home: home)
            }
            let check = try run(binary, ["dataset", "check", "--photos", photos.path, "--roster", rosterFile.path], home: home)
            XCTAssertTrue(check.stdout.contains("Damaged files, decoded anyway (1):\n  " + line), "\(pass): \(check.stdout)")
            XCTAssertFalse(check.stderr.contains("Corrupt JPEG data"), "no raw libjpeg line: \(check.stderr)")
            let json = try run(binary, ["dataset", "check", "--photos", photos.path, "--roster", rosterFile.path, "--json"], home: home)
            let report = try JSONDecoder().decode(HealthReport.self, from: Data(json.stdout.utf8))
            XCTAssertEqual(report.damagedFiles.map { "\($0.path): \($0.problem)" }, [line], pass)
        }
    }

    func testBadInputGivesOneLineErrors() throws {
        let binary = try cli()
        let home = try temporaryFolder(self)
        let bad = home.appendingPathComponent("bad.json")
        try Data(#"{"schema": 1, "id": "b", "name": "B", "groups": [], "members": [{"id": "x", "ja": "X", "romaji": "X", "groups": ["nope"]}]}"#.utf8).write(to: bad)
        let result = try run(binary, ["dataset", "build", "--photos", home.path, "--roster", bad.path, "--name", "x"], home: home)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines),
                       #"Error: bad.json: members[0].groups[0]: unknown group "nope" (the roster defines no groups)"#)
        let check = try run(binary, ["dataset", "check"], home: home)
        XCTAssertNotEqual(check.status, 0)
        XCTAssertTrue(check.stderr.contains("give either --photos DIR or --name NAME"), check.stderr)
    }
}
