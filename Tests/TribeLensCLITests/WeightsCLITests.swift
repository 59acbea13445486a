import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// `tribelens-cli weights fetch yunet|sface` and `weights list` as a user runs them, against a
/// loopback server (`--url`) with the real catalogue entries. YuNet is small enough to serve the
/// shared file itself; SFace is served as wrong bytes, which must be refused.
final class WeightsCLITests: XCTestCase {
    var home: URL!
    var cli: CLIRunner!
    var weightsFolder: URL { home.appendingPathComponent("data/tribelens/weights", isDirectory: true) }

    override func setUpWithError() throws {
        home = try temporaryFolder(self)
        cli = CLIRunner(home: home)
    }

    /// A YuNet file named on the command line reaches OpenCV only when its checksum is known.
    func testAnUnknownYuNetFileIsRefusedBeforeOpenCVReadsIt() throws {
        let shared = try SharedData.url("models/face_detection_yunet_2022mar.onnx")
        var bytes = try [UInt8](Data(contentsOf: shared))
        bytes[bytes.count / 2] ^= 0xFF
        let corrupt = home.appendingPathComponent("yunet-copy.onnx")
        try Data(bytes).write(to: corrupt)
        let photo = try SharedData.url("data/group-photos/test1.jpg")
        for command in [["detect", "--detector", "yunet"], ["dataset", "build", "--detector", "yunet", "--name", "x", "--photos", home.path]] {
            let refused = try cli.run(command + ["--yunet-model", corrupt.path] + (command[0] == "detect" ? [photo.path] : []))
            XCTAssertNotEqual(refused.status, 0, refused.stdout)
            XCTAssertTrue(refused.stderr.contains(corrupt.path) && refused.stderr.contains("not a known"), refused.stderr)
        }
        let accepted = try cli.run(["detect", "--detector", "yunet", "--yunet-model", shared.path, photo.path])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertTrue(accepted.stdout.contains("2 faces"), accepted.stdout)
    }

    func testFetchYuNetResumesVerifiesAndLists() throws {
        let model = try [UInt8](Data(contentsOf: SharedData.url("models/face_detection_yunet_2022mar.onnx")))
        let server = try LoopbackHTTPServer(payload: model, behaviour: .cutAfter(200_000))
        defer { server.stop() }
        let first = try cli.run(["weights", "fetch", "yunet", "--url", server.url.absoluteString])
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains("run the same command again to resume"), first.stderr)

        server.setBehaviour(.normal)
        let second = try cli.run(["weights", "fetch", "yunet", "--url", server.url.absoluteString])
        XCTAssertEqual(second.status, 0, second.stderr)
        let installed = weightsFolder.appendingPathComponent("face_detection_yunet_2022mar.onnx")
        XCTAssertEqual(second.stdout.trimmingCharacters(in: .whitespacesAndNewlines), installed.path)
        XCTAssertTrue(second.stderr.contains("resumed"), second.stderr)
        XCTAssertTrue(server.requests.last!.contains("Range: bytes=200000-"))
        XCTAssertEqual(try [UInt8](Data(contentsOf: installed)), model)

        let list = try cli.run(["weights", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("yunet\t\(installed.path)\tok (SHA-256 verified"), list.stdout)
        XCTAssertTrue(list.stdout.contains("No SFace model installed."), list.stdout)
        XCTAssertTrue(list.stdout.contains("tribelens-cli weights fetch sface"), list.stdout)
    }

    func testFetchSFaceRefusesBytesThatAreNotTheOfficialFile() throws {
        // The official size, other bytes: only the SHA-256 can tell.
        let fake = [UInt8](repeating: 0x5a, count: KnownModelFile.sfaceOfficial.byteCount)
        let server = try LoopbackHTTPServer(payload: fake)
        defer { server.stop() }
        let result = try cli.run(["weights", "fetch", "sface", "--url", server.url.absoluteString])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("checksum mismatch (SHA-256 \(ContentHash.sha256(Data(fake))), expected "
                                             + "0ba9fbfa01b5270c96627c4ef784da859931e02f04419c829e83484087c34e79)"), result.stderr)
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: weightsFolder.path)) ?? [], [])
    }

    func testListFindsModelsByChecksumWhateverTheirName() throws {
        try FileManager.default.createDirectory(at: weightsFolder, withIntermediateDirectories: true)
        let renamed = weightsFolder.appendingPathComponent("sface-from-a-friend.onnx")
        try FileManager.default.copyItem(at: try SharedData.url("models/face_recognition_sface_2021dec_dq.onnx"), to: renamed)
        let stray = weightsFolder.appendingPathComponent("face_detection_yunet_2022mar.onnx")
        try Data("not yunet".utf8).write(to: stray)
        let list = try cli.run(["weights", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("sface\t\(renamed.path)\tok (SHA-256 verified: float32 expansion"), list.stdout)
        XCTAssertTrue(list.stdout.contains("?\t\(stray.path)\tUNKNOWN FILE (9 bytes, SHA-256 \(ContentHash.sha256(Data("not yunet".utf8))))"),
                      list.stdout)
        XCTAssertTrue(list.stdout.contains("No YuNet model installed."), list.stdout)
    }
}
