import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// From photo folders to "who is this" through the command line: dataset build, train (the real
/// scratch-CNN plugin), evaluate, predict; and the refusals a user can run into.
final class TrainCLITests: XCTestCase {
    var home: URL!
    var cli: CLIRunner!

    override func setUpWithError() throws {
        home = try makeTemporaryDirectory("tribelens-train-cli")
        cli = CLIRunner(home: home)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    /// A photo root of symbolic links to the first `perPerson` photos of `people` LFW people, and
    /// a roster for them (two groups, one person in both).
    func makePhotoRoot(people: Int, perPerson: Int) throws -> (root: URL, roster: URL) {
        let lfw = try SharedData.url("data/lfw-dev38")
        let root = home.appendingPathComponent("photos", isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: lfw.path).sorted().prefix(people)
        var members: [String] = []
        for (i, name) in names.enumerated() {
            let folder = root.appendingPathComponent(name, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for photo in PhotoFiles.collect([lfw.appendingPathComponent(name)]).prefix(perPerson) {
                try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(photo.lastPathComponent),
                                                           withDestinationURL: photo)
            }
            let groups = i == 0 ? #"["a", "b"]"# : (i % 2 == 0 ? #"["a"]"# : #"["b"]"#)
            members.append(#"{"id": "p\#(i)", "ja": "\#(name)", "romaji": "\#(name)", "aliases": ["\#(name)"], "groups": \#(groups)}"#)
        }
        let roster = home.appendingPathComponent("roster.json")
        try Data(#"{"schema": 1, "id": "lfw-test", "name": "LFW test", "groups": [{"id": "a", "name": "Group A"}, {"id": "b", "name": "Group B"}], "members": [\#(members.joined(separator: ","))]}"#.utf8)
            .write(to: roster)
        return (root, roster)
    }

    func testBuildTrainEvaluatePredictThroughTheCLI() throws {
        let (root, roster) = try makePhotoRoot(people: 4, perPerson: 20)
        let build = try cli.run(["dataset", "build", "--photos", root.path, "--roster", roster.path, "--preset", "original",
                                 "--name", "four"])
        XCTAssertEqual(build.status, 0, build.stderr)

        let train = try cli.run(["train", "--dataset", "four", "--backend", "scratch-cnn", "--model", "m4",
                                 "--preset", "recommended", "--epochs", "6", "--seed", "3", "--activate"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stderr.contains("Epoch 1/6 - "), train.stderr)
        XCTAssertTrue(train.stdout.hasPrefix("Saved model 'm4' (scratch-cnn"), train.stdout)

        let evaluate = try cli.run(["evaluate", "--json"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        let accuracy = try XCTUnwrap(report["accuracy"] as? Double)
        XCTAssertEqual((report["confusion"] as? [[Int]])?.count, 4)
        print("train CLI: scratch-cnn, 4 LFW people, 6 epochs: test accuracy \(accuracy)")

        let photo = PhotoFiles.collect([root.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()[1])]).last!
        let predict = try cli.run(["predict", "--json", "--threshold", "0", photo.path])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let photos = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(predict.stdout.utf8)) as? [[String: Any]])
        let face = try XCTUnwrap((photos.first?["faces"] as? [[String: Any]])?.first)
        XCTAssertNotNil(face["box"])
        XCTAssertNotNil(face["member"] as? String, "threshold 0 always names someone")
        XCTAssertEqual((face["top"] as? [Any])?.count, 3)
        XCTAssertNotNil(face["groups"] as? [String])
    }

    /// `evaluate` hands an sface model the crops its backend takes (112x112 aligned faces), as
    /// training did: it once passed the write-up's 64x64 crops to every backend.
    func testEvaluateAnSFaceModel() throws {
        let weights = home.appendingPathComponent("data/tribelens/weights", isDirectory: true)
        try FileManager.default.createDirectory(at: weights, withIntermediateDirectories: true)
        for name in ["face_recognition_sface_2021dec_dq.onnx", "face_detection_yunet_2022mar.onnx"] {
            try FileManager.default.createSymbolicLink(at: weights.appendingPathComponent(name),
                                                       withDestinationURL: try SharedData.url("models/" + name))
        }
        let (root, roster) = try makePhotoRoot(people: 3, perPerson: 10)
        let build = try cli.run(["dataset", "build", "--photos", root.path, "--roster", roster.path, "--detector", "yunet",
                                 "--name", "three"])
        XCTAssertEqual(build.status, 0, build.stderr)
        let train = try cli.run(["train", "--dataset", "three", "--backend", "sface", "--model", "s3", "--seed", "1",
                                 "--no-augment", "--activate"])
        XCTAssertEqual(train.status, 0, train.stderr)

        let evaluate = try cli.run(["evaluate", "--json"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["confusion"] as? [[Int]])?.count, 3)
        // SFace tells three LFW people apart almost always (docs/accuracy.md: 0.99 on 38).
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(report["accuracy"] as? Double), 0.8, evaluate.stdout)
    }

    func testRefusalsAreOneClearLine() throws {
        let (root, roster) = try makePhotoRoot(people: 2, perPerson: 5)
        XCTAssertEqual(try cli.run(["dataset", "build", "--photos", root.path, "--roster", roster.path, "--name", "two"]).status, 0)

        let unknown = try cli.run(["train", "--dataset", "two", "--backend", "no-such", "--model", "x"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no backend 'no-such' (found: "), unknown.stderr)

        // VGG16 without weights: says so and how to get them, and trains nothing.
        let vgg = try cli.run(["train", "--dataset", "two", "--backend", "vgg16-transfer", "--model", "v"])
        XCTAssertNotEqual(vgg.status, 0)
        XCTAssertTrue(vgg.stderr.contains("no ImageNet VGG16 weights found"), vgg.stderr)
        XCTAssertTrue(vgg.stderr.contains("tribelens-cli weights fetch vgg16"), vgg.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.appendingPathComponent("data/tribelens/models/v").path))

        let missing = try cli.run(["train", "--dataset", "nope", "--backend", "scratch-cnn", "--model", "x"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertFalse(missing.stderr.isEmpty)
    }
}
