import CVision
import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// The face-embedding backend (`Plugins/SFaceEmbedding`) on real faces, with the shared SFace
/// and YuNet files, against OpenCV's own alignment and the scratch CNN on the same split.
final class SFacePluginTests: XCTestCase {
    private var savedCache: String?

    override func setUpWithError() throws {
        savedCache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        setenv("XDG_CACHE_HOME", try temporaryFolder(self).path, 1)
    }

    override func tearDown() {
        if let savedCache { setenv("XDG_CACHE_HOME", savedCache, 1) } else { unsetenv("XDG_CACHE_HOME") }
    }

    static func models() throws -> (sface: URL, yunet: URL) {
        (try SharedData.url("models/face_recognition_sface_2021dec_dq.onnx"), try SharedData.url("models/face_detection_yunet_2022mar.onnx"))
    }

    /// The largest YuNet face (with landmarks) of each of the first `perPerson` photos of `people`
    /// LFW people, taken from the `skip`-th person on (folders in name order).
    static func lfwFaces(people: Int, perPerson: Int, skip: Int = 0) throws -> [(image: RGBImage, face: FaceBox, label: Int32)] {
        let root = try SharedData.url("data/lfw-dev38")
        let folders = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }.dropFirst(skip).prefix(people)
        let detector = try YuNetDetector(modelPath: try models().yunet.path)
        var out: [(RGBImage, FaceBox, Int32)] = []
        for (label, folder) in folders.enumerated() {
            for url in PhotoFiles.collect([folder]).prefix(perPerson) {
                let image = try PhotoLoader().load(url)
                if let face = try detector.detect(in: image).filter({ $0.landmarks != nil }).max(by: { $0.area < $1.area }) {
                    out.append((image, face, Int32(label)))
                }
            }
        }
        return out
    }

    func testAlignedCropAndEmbeddingEqualOpenCVsAlignCropAndFeature() throws {
        let (sfacePath, _) = try Self.models()
        let faces = try Self.lfwFaces(people: 3, perPerson: 2)
        XCTAssertGreaterThanOrEqual(faces.count, 5)
        var message = [CChar](repeating: 0, count: 512)
        let sface = try XCTUnwrap(cvision_sface_open(sfacePath.path, &message, 512))
        defer { cvision_sface_close(sface) }
        for (image, face, _) in faces {
            let ours = try FaceCrops.crop(.aligned112, face: face, in: image)
            let row = [Float(face.x), Float(face.y), Float(face.width), Float(face.height)] + face.landmarks!
            var reference = [UInt8](repeating: 0, count: 112 * 112 * 3)
            var feature = [Float](repeating: 0, count: 128)
            XCTAssertEqual(cvision_sface_reference(sface, image.pixels, Int32(image.width), Int32(image.height), row,
                                                   &reference, &feature, &message, 512), 0)
            let differences = zip(ours, reference).map { abs(Int($0) - Int($1)) }
            // The same warp up to float rounding of the transform: a few pixels may differ by a few levels.
            XCTAssertLessThanOrEqual(differences.max()!, 4)
            XCTAssertLessThan(Double(differences.reduce(0, +)) / Double(differences.count), 0.05)
            var embedding = [Float](repeating: 0, count: 128)
            XCTAssertEqual(cvision_sface_embed(sface, reference, 1, 112, &embedding, &message, 512), 0)
            var dot: Float = 0, a: Float = 0, b: Float = 0
            for (x, y) in zip(embedding, feature) { dot += x * y; a += x * x; b += y * y }
            let cosine = dot / (a.squareRoot() * b.squareRoot())
            XCTAssertGreaterThan(cosine, 0.9999, "the batched embedding must be FaceRecognizerSF::feature's")
        }
        // Several crops in one call run one per core (SFaceChain's lanes): the same embeddings.
        var crops: [UInt8] = [], singles: [Float] = []
        for (image, face, _) in faces {
            let crop = try FaceCrops.crop(.aligned112, face: face, in: image)
            crops += crop
            var one = [Float](repeating: 0, count: 128)
            XCTAssertEqual(cvision_sface_embed(sface, crop, 1, 112, &one, &message, 512), 0)
            singles += one
        }
        var batch = [Float](repeating: 0, count: 128 * faces.count)
        XCTAssertEqual(cvision_sface_embed(sface, crops, Int32(faces.count), 112, &batch, &message, 512), 0)
        XCTAssertEqual(zip(batch, singles).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-5)
        // A crop shifted by 5 px is visibly different: the comparison above can fail.
        var moved = faces[0].face
        moved.landmarks = moved.landmarks!.map { $0 + 5 }
        let shifted = try FaceCrops.crop(.aligned112, face: moved, in: faces[0].image)
        let original = try FaceCrops.crop(.aligned112, face: faces[0].face, in: faces[0].image)
        XCTAssertGreaterThan(zip(shifted, original).map { abs(Int($0) - Int($1)) }.max()!, 20)
    }

    /// The shipped SFace file runs on oneDNN (sface_chain.cpp: the test above holds it to OpenCV's
    /// FaceRecognizerSF); a network of another layout keeps OpenCV's own pass and says why.
    func testSFaceRunsOnOneDNNAndOtherNetworksKeepOpenCV() throws {
        let (sfacePath, yunetPath) = try Self.models()
        var message = [CChar](repeating: 0, count: 512)
        let sface = try XCTUnwrap(cvision_sface_open(sfacePath.path, &message, 512))
        defer { cvision_sface_close(sface) }
        XCTAssertEqual(String(cString: cvision_sface_engine(sface)), "oneDNN")
        let other = try XCTUnwrap(cvision_sface_open(yunetPath.path, &message, 512))
        defer { cvision_sface_close(other) }
        XCTAssertTrue(String(cString: cvision_sface_engine(other)).hasPrefix("OpenCV DNN (not the SFace chain: "),
                      String(cString: cvision_sface_engine(other)))
    }

    func testTrainsFarAboveTheScratchCNNReloadsIdenticallyAndCallsStrangersUnknown() throws {
        let (sfacePath, _) = try Self.models()
        let faces = try Self.lfwFaces(people: 6, perPerson: 20)
        let names = (0..<6).map { "p\($0)" }
        func samples(_ spec: InputSpec, _ part: [(image: RGBImage, face: FaceBox, label: Int32)]) throws -> InMemorySamples {
            try InMemorySamples(pixels: part.flatMap { try FaceCrops.crop(spec, face: $0.face, in: $0.image) },
                                labels: part.map(\.label), imageBytes: spec.bytes)
        }
        let train = faces.enumerated().filter { $0.offset % 4 != 0 }.map(\.element)
        let test = faces.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
        let root = try temporaryFolder(self)
        let store = ModelStore(root: root)

        // The scratch CNN on 64x64 box crops of the same faces and split.
        let scratch = try PluginLoader.load(TestPlugins.url("ScratchCNN"))
        var config = TrainingPreset.recommended.configuration(seed: 3)
        config.epochs = 15
        config.batchSize = 16
        let cnn = try TrainingJob.run(backend: scratch, request: TrainingRequest(
            modelName: "cnn", preset: .recommended, configuration: config, classes: names, roster: "t", memberGroups: [:],
            datasetFingerprint: "x"), training: try samples(.legacy, train), validation: try samples(.legacy, test),
            test: try samples(.legacy, test), store: nil)
        let cnnAccuracy = try XCTUnwrap(cnn.manifest?.testMetrics?.accuracy)

        let backend = try PluginLoader.load(TestPlugins.url("SFaceEmbedding"))
        XCTAssertEqual(backend.info.input, .aligned112)
        XCTAssertTrue(backend.info.givesSimilarities)
        let hyper = try BackendResources.resolveModelFiles(["sface_model": .string("auto")], path: sfacePath.path)
        config.epochs = 30
        let started = Date()
        let outcome = try TrainingJob.run(backend: backend, request: TrainingRequest(
            modelName: "sface6", preset: .recommended, configuration: config, hyperParameters: hyper, classes: names,
            roster: "t", memberGroups: [:], datasetFingerprint: "x"), training: try samples(.aligned112, train),
            validation: try samples(.aligned112, test), test: try samples(.aligned112, test), store: store)
        let accuracy = try XCTUnwrap(outcome.manifest?.testMetrics?.accuracy)
        print("lfw 6 people, \(train.count) train / \(test.count) test faces: sface \(accuracy), scratch-cnn \(cnnAccuracy); "
              + String(format: "sface run %.1f s", Date().timeIntervalSince(started)))
        XCTAssertGreaterThanOrEqual(accuracy, 0.9)
        XCTAssertGreaterThan(accuracy, cnnAccuracy + 0.2)
        let openSet = try XCTUnwrap(outcome.manifest?.openSet)
        XCTAssertGreaterThanOrEqual(openSet.similarity, OpenSetThreshold.floor)

        // Saved, loaded twice through the store (model file resolved again): identical answers.
        let testSet = try samples(.aligned112, test)
        let first = try FacePredictor(store: store, name: "sface6", backends: [backend])
        let again = try FacePredictor(store: store, name: "sface6", backends: [backend])
        XCTAssertEqual(first.input, .aligned112)
        let before = try ModelEvaluation.predictAll(first.model, on: testSet)
        XCTAssertEqual(try ModelEvaluation.predictAll(again.model, on: testSet).probabilities, before.probabilities)
        // Through the source (the plugin's cached embeddings): predict's probabilities, and a
        // similarity per face and member.
        let both = try first.model.predict(source: testSet, batchSize: 7, similarities: true)
        let byPixels = try first.model.predict(pixels: testSet.pixels, count: testSet.count)
        for (a, b) in zip(both.probabilities, byPixels) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertEqual(both.probabilities.count, byPixels.count)
        XCTAssertEqual(both.similarities?.count, testSet.count * names.count)

        // People left out of training come out unknown; members mostly keep their names.
        let strangers = try Self.lfwFaces(people: 2, perPerson: 8, skip: 10)
        let strangerLabels = try strangers.map { try first.labelFaces(pixels: try FaceCrops.crop(.aligned112, face: $0.face, in: $0.image), count: 1)[0] }
        let named = strangerLabels.filter { $0.member != nil }.count
        let memberLabels = try test.map { try first.labelFaces(pixels: try FaceCrops.crop(.aligned112, face: $0.face, in: $0.image), count: 1)[0] }
        let rejected = memberLabels.filter { $0.member == nil }.count
        print("strangers named: \(named) of \(strangers.count); members turned unknown: \(rejected) of \(test.count)")
        XCTAssertLessThanOrEqual(named, strangers.count / 8)
        XCTAssertLessThanOrEqual(rejected, test.count / 8)
        XCTAssertTrue(strangerLabels.allSatisfy { $0.similarity != nil })
    }
}
