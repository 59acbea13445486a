import CGtk  // GLib's main context only: the analyzer and the recognizer answer through it
import FaceKit
import SharedTestSupport
import Foundation
import XCTest
@testable import TribeLens

/// The window's path from a drop to names, without a display: `PhotoPipeline` with the real
/// analyzer and recognizer, a fake detector (one face per 64-pixel tile) and a fake backend
/// (probabilities by a face's colour), models in a temporary store, corrections in a temporary
/// curation store, and `FaceNaming` for what the face boxes say.
final class PhotoPipelineTests: XCTestCase {
    private var home: URL!
    private var storage: DatasetStorage!
    private var store: ModelStore!

    // Face colours; the fake backend answers by them (classes: takahiro, naoki).
    static let red: [UInt8] = [200, 30, 30]     // takahiro 60%: not sure enough to beat a clearer face
    static let green: [UInt8] = [30, 200, 30]   // takahiro 90%
    static let blue: [UInt8] = [30, 30, 200]    // naoki 90%
    static let grey: [UInt8] = [90, 90, 90]     // the backend fails on it

    /// The fake plugins: 64x64 box crops, and a second backend that takes 32x32 ones.
    static let backend = FakeBackend(id: "fake", answer: PhotoPipelineTests.answer)
    static let smallBackend = FakeBackend(id: "fake-small", input: InputSpec(side: 32, kind: .boxCrop), answer: PhotoPipelineTests.answer)

    @Sendable static func answer(_ image: ArraySlice<UInt8>) throws -> [Float] {
        let side = Int(Double(image.count / 3).squareRoot())
        let centre = image.startIndex + ((side / 2) * side + side / 2) * 3
        switch Array(image[centre ..< centre + 3]) {
        case Self.red: return [0.6, 0.4]
        case Self.green: return [0.9, 0.1]
        case Self.blue: return [0.1, 0.9]
        default: throw BackendError(.internal, "no member looks like this")
        }
    }

    /// One face per 64x64 tile from the left; "fake-left-only" (a model's detector) finds the first only.
    static func detector(_ name: String) -> FakeFaceDetector {
        FakeFaceDetector(name: name) { image in
            let tiles = stride(from: 0, to: image.width, by: 64).map { FaceBox(x: $0, y: 0, width: 64, height: 64) }
            return name == "fake-left-only" ? Array(tiles.prefix(1)) : tiles
        }
    }

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tl-pipeline-\(UUID().uuidString)")
        storage = DatasetStorage(cacheRoot: home.appendingPathComponent("cache"), dataRoot: home.appendingPathComponent("data"))
        store = ModelStore(root: home.appendingPathComponent("data/models"))
        try FileManager.default.createDirectory(at: storage.rostersDirectory, withIntermediateDirectories: true)
        try JSONEncoder().encode(RecognitionTests.roster).write(to: storage.rostersDirectory.appendingPathComponent("t.json"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    /// A photo of 64x64 faces side by side, one per colour.
    private func photo(_ name: String, _ faces: [[UInt8]]) throws -> URL {
        var pixels: [UInt8] = []
        for _ in 0..<64 { for face in faces { for _ in 0..<64 { pixels += face } } }
        let url = home.appendingPathComponent(name)
        try RGBImage(width: 64 * faces.count, height: 64, pixels: pixels).write(to: url)
        return url
    }

    /// Saves a model of `backend` whose dataset was built with `detector`.
    private func saveModel(_ name: String, detector: String, backend: FakeBackend = PhotoPipelineTests.backend) throws {
        var manifest = ModelManifest(backend: .init(backend.info), classes: ["takahiro", "naoki"], roster: "t", memberGroups: [:],
                                     preset: "original", inputScale: 1, hyperParameters: [:],
                                     training: TrainingPreset.original.configuration(seed: 0), history: [], stop: "completed",
                                     testMetrics: nil, datasetFingerprint: "x", createdAt: Date(timeIntervalSince1970: 1_795_000_000))
        manifest.preprocessing = ["detector": .string(detector)]
        try store.save(name: name, manifest: manifest, model: try backend.makeModel(ModelConfiguration(classCount: 2)))
    }

    /// The pipeline as a window builds it, with the fakes, over the test's folders;
    /// `problems` collects what it reports.
    @MainActor
    private final class Fixture {
        let pipeline: PhotoPipeline
        let state: RecognitionState
        let naming: FaceNaming
        let book: CorrectionBook

        init(home: URL, storage: DatasetStorage, store: ModelStore, problems: @escaping (String) -> Void) {
            let analyzer = PhotoAnalyzer(thumbnails: ThumbnailStore(folder: home.appendingPathComponent("cache/thumbnails")),
                                         makeDetector: { PhotoPipelineTests.detector("fake-preferences") },
                                         makeModelDetector: { PhotoPipelineTests.detector($0.detector) })
            let recognizer = Recognizer(store: store, storage: storage) {
                ([PhotoPipelineTests.backend, PhotoPipelineTests.smallBackend], PluginReport(backends: ["fake", "fake-small"]))
            }
            state = RecognitionState(recognizer: recognizer, settings: SettingsStore(file: home.appendingPathComponent("settings.ini")),
                                     environment: ["TRIBELENS_NAMES": "romaji"])
            pipeline = PhotoPipeline(analyzer: analyzer, recognition: state)
            pipeline.onProblem = problems
            book = CorrectionBook(storage: storage)
            naming = FaceNaming(state: state, corrections: book)
        }

        func photo(_ name: String) -> Photo? { pipeline.session.photos.first { $0.fileName == name } }

        /// There are photos, and every one with faces has the current model's labels.
        var allLabelled: Bool {
            guard let generation = state.status.info?.generation, !pipeline.session.photos.isEmpty else { return false }
            return pipeline.session.photos.allSatisfy { photo in
                guard let analysis = PhotoPipelineTests.analysis(photo) else { return false }
                return analysis.faces.isEmpty || photo.labels?.generation == generation
            }
        }
    }

    /// Runs the GLib main loop (no display) until `done`, for at most 30 s.
    @MainActor
    static func pump(_ done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while !done() {
            guard Date() < deadline else { return false }
            _ = g_main_context_iteration(nil, 0)
            usleep(1000)
        }
        return true
    }

    private static func analysis(_ photo: Photo?) -> PhotoAnalysis? {
        guard case .analyzed(let analysis)? = photo?.state else { return nil }
        return analysis
    }

    func testDroppedPhotosGetBoxesThenTheModelsNamesThenTheUsersCorrection() throws {
        let pair = try photo("pair.png", [Self.red, Self.green])
        let solo = try photo("solo.png", [Self.blue])
        try saveModel("ldh", detector: "fake-model")  // saved, not active
        let (home, storage, store) = (home!, storage!, store!)
        try MainActor.assumeIsolated {
            var problems: [String] = []
            let fixture = Fixture(home: home, storage: storage, store: store) { problems.append($0) }
            XCTAssertTrue(Self.pump { fixture.state.status == .none }, "no model is active yet")

            // Dropped: both are analysed with the Preferences' detector; the first one is shown.
            fixture.pipeline.open([pair, solo])
            XCTAssertTrue(Self.pump { fixture.pipeline.session.photos.count == 2 && fixture.pipeline.session.photos.allSatisfy { Self.analysis($0) != nil } })
            XCTAssertEqual(fixture.pipeline.session.current?.fileName, "pair.png")
            let boxes = try XCTUnwrap(Self.analysis(fixture.photo("pair.png")))
            XCTAssertEqual(boxes.faces, [FaceBox(x: 0, y: 0, width: 64, height: 64), FaceBox(x: 64, y: 0, width: 64, height: 64)])
            XCTAssertEqual(boxes.detector, "fake-preferences")
            XCTAssertEqual(boxes.crops.count, 2 * InputSpec.legacy.bytes)
            XCTAssertEqual(Self.analysis(fixture.photo("solo.png"))?.faces, [FaceBox(x: 0, y: 0, width: 64, height: 64)])
            XCTAssertNotNil(fixture.pipeline.thumbnail(for: try XCTUnwrap(fixture.photo("solo.png"))))
            // Without a model the boxes have no names.
            XCTAssertEqual(fixture.naming.annotations(of: try XCTUnwrap(fixture.photo("pair.png"))).map(\.accessibleName),
                           ["Face 1", "Face 2"])

            // A model is activated: the photos are analysed again its way, then named.
            try fixture.state.activate("ldh")
            XCTAssertEqual(store.activeName(), "ldh")
            XCTAssertTrue(Self.pump { fixture.allLabelled && Self.analysis(fixture.photo("solo.png"))?.detector == "fake-model" })
            let model = try XCTUnwrap(fixture.state.status.info)
            XCTAssertEqual(model.preparation, FacePreparation(detector: "fake-model", input: .legacy))
            let pairPhoto = try XCTUnwrap(fixture.photo("pair.png"))
            XCTAssertEqual(Self.analysis(pairPhoto)?.preparation, model.preparation)
            XCTAssertEqual(Self.analysis(pairPhoto)?.detector, "fake-model")
            // Both faces of the pair look most like Takahiro; the joint assignment gives him to the
            // clearer one and leaves the other unknown (alone, it would be Takahiro at 60%).
            XCTAssertEqual(pairPhoto.labels?.faces.map(\.member), [nil, "takahiro"])
            XCTAssertEqual(pairPhoto.labels?.faces.first?.top.map(\.member), ["takahiro", "naoki"])
            XCTAssertEqual(fixture.naming.annotations(of: pairPhoto).map(\.accessibleName), ["Face 1: unknown", "Face 2: Takahiro, 90%"])
            XCTAssertEqual(fixture.naming.annotations(of: pairPhoto).map(\.tone), [.unknown, .sure])
            XCTAssertEqual(fixture.naming.annotations(of: try XCTUnwrap(fixture.photo("solo.png"))).map(\.accessibleName),
                           ["Face 1: Naoki Kobayashi, 90%"])
            let details = try XCTUnwrap(fixture.naming.details(of: pairPhoto, face: 1))
            XCTAssertEqual(details.label?.member, "takahiro")
            XCTAssertEqual(details.model?.summary.name, "ldh")
            XCTAssertNil(details.correction)
            XCTAssertNil(fixture.naming.details(of: pairPhoto, face: 2))

            // The user says face 1 is Naoki: recorded by content and box, shown at once, saved.
            let hash = try XCTUnwrap(Self.analysis(pairPhoto)?.contentHash)
            let box = FaceBox(x: 0, y: 0, width: 64, height: 64)
            XCTAssertEqual(fixture.naming.correct(pairPhoto, face: 0, as: .member("naoki")),
                           .recorded("Face 1 saved as “Naoki Kobayashi”; the next training run uses it"))
            XCTAssertEqual(fixture.book.correction(photoHash: hash, box: box), .member("naoki"))
            XCTAssertEqual(fixture.naming.annotations(of: pairPhoto).map(\.accessibleName),
                           ["Face 1: Naoki Kobayashi, your label", "Face 2: Takahiro, 90%"])
            XCTAssertEqual(fixture.naming.annotations(of: pairPhoto).first?.tone, .corrected)
            XCTAssertTrue(Self.pump { (try? CurationStore(storage: storage))?.decision(for: CropID(photoHash: hash, box: box)) == .relabel(memberID: "naoki") },
                          "the correction is in the curation store the next dataset build reads")
            // Taken back: the model's answer again.
            XCTAssertEqual(fixture.naming.correct(pairPhoto, face: 0, as: nil), .recorded("Face 1: your label was removed"))
            XCTAssertEqual(fixture.naming.annotations(of: pairPhoto).first?.accessibleName, "Face 1: unknown")
            XCTAssertNil(fixture.naming.correct(pairPhoto, face: 5, as: .notAFace), "no such face")

            // Issue 15, item 7: "Not in the roster" is stored as a rejection of kind stranger,
            // and Undo on its message puts the earlier label back (Naoki, then the model's again).
            let crop = CropID(photoHash: hash, box: box)
            XCTAssertEqual(fixture.naming.correct(pairPhoto, face: 0, as: .member("naoki")),
                           .recorded("Face 1 saved as “Naoki Kobayashi”; the next training run uses it"))
            XCTAssertEqual(fixture.naming.correct(pairPhoto, face: 0, as: .stranger),
                           .recorded("Face 1 saved as “not in the roster”; the next training run uses it"))
            XCTAssertEqual(fixture.naming.annotations(of: pairPhoto).first?.accessibleName, "Face 1: not in the roster, your label")
            XCTAssertEqual(fixture.naming.annotations(of: pairPhoto).first?.tone, .stranger)
            XCTAssertTrue(Self.pump {
                let store = try? CurationStore(storage: storage)
                return store?.decision(for: crop) == .reject && store?.rejectionKind(for: crop) == .stranger
            }, "a stranger is a rejection of kind stranger in curation.json")
            XCTAssertEqual(CorrectionBook(storage: storage).correction(photoHash: hash, box: box), .stranger, "read back as a stranger")
            XCTAssertEqual(fixture.naming.lastUndo, FaceNaming.Undo(photoHash: hash, box: box, face: 0, previous: .member("naoki")))
            XCTAssertEqual(fixture.naming.undoLast(), "Face 1: your correction was undone")
            XCTAssertEqual(fixture.book.correction(photoHash: hash, box: box), .member("naoki"))
            XCTAssertNil(fixture.naming.undoLast(), "one undo per correction")
            XCTAssertTrue(Self.pump { (try? CurationStore(storage: storage))?.decision(for: crop) == .relabel(memberID: "naoki") })
            XCTAssertEqual(fixture.naming.correct(pairPhoto, face: 0, as: nil), .recorded("Face 1: your label was removed"))
            XCTAssertEqual(fixture.naming.undoLast(), "Face 1: your correction was undone")
            XCTAssertEqual(fixture.book.correction(photoHash: hash, box: box), .member("naoki"), "undoing a removal brings the label back")
            XCTAssertEqual(fixture.naming.correct(pairPhoto, face: 0, as: .notAFace), .recorded("Face 1 saved as “not a face”; the next training run uses it"))
            XCTAssertEqual(fixture.naming.undoLast(), "Face 1: your correction was undone")
            XCTAssertEqual(fixture.naming.correct(pairPhoto, face: 0, as: nil), .recorded("Face 1: your label was removed"))
            XCTAssertTrue(Self.pump { (try? CurationStore(storage: storage))?.decision(for: crop) == nil })
            XCTAssertEqual(problems, [])
        }
    }

    func testAModelWithAnotherPreparationHasThePhotosAnalysedAgain() throws {
        let pair = try photo("pair.png", [Self.red, Self.green])
        try saveModel("first", detector: "fake-model")
        try saveModel("second", detector: "fake-left-only", backend: Self.smallBackend)
        try store.activate(name: "first")
        let (home, storage, store) = (home!, storage!, store!)
        try MainActor.assumeIsolated {
            var problems: [String] = []
            let fixture = Fixture(home: home, storage: storage, store: store) { problems.append($0) }
            XCTAssertTrue(Self.pump { fixture.state.status.info != nil })
            fixture.pipeline.open([pair])
            XCTAssertTrue(Self.pump { fixture.allLabelled })
            XCTAssertEqual(Self.analysis(fixture.photo("pair.png"))?.detector, "fake-model", "analysed the active model's way at once")
            XCTAssertEqual(fixture.photo("pair.png")?.labels?.faces.count, 2)
            let first = try XCTUnwrap(fixture.state.status.info?.generation)

            // The second model finds faces with another detector and takes 32x32 crops.
            try fixture.state.activate("second")
            XCTAssertTrue(Self.pump { (fixture.state.status.info?.generation ?? first) > first && fixture.allLabelled })
            let again = try XCTUnwrap(Self.analysis(fixture.photo("pair.png")))
            XCTAssertEqual(again.preparation, FacePreparation(detector: "fake-left-only", input: InputSpec(side: 32, kind: .boxCrop)))
            XCTAssertEqual(again.faces, [FaceBox(x: 0, y: 0, width: 64, height: 64)])
            XCTAssertEqual(again.crops.count, 32 * 32 * 3)
            // One face left: Takahiro is the red face's best, with no one to share him with.
            XCTAssertEqual(fixture.naming.annotations(of: try XCTUnwrap(fixture.photo("pair.png"))).map(\.accessibleName),
                           ["Face 1: Takahiro, 60%"])
            XCTAssertEqual(problems, [])
        }
    }

    func testPhotosThatFailAreReportedByFileName() throws {
        let broken = home.appendingPathComponent("broken.png")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try Data("not a photo".utf8).write(to: broken)
        let odd = try photo("odd.png", [Self.grey])
        let empty = home.appendingPathComponent("empty", isDirectory: true)
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try saveModel("ldh", detector: "fake-model")
        try store.activate(name: "ldh")
        let (home, storage, store) = (home!, storage!, store!)
        try MainActor.assumeIsolated {
            var problems: [String] = []
            let fixture = Fixture(home: home, storage: storage, store: store) { problems.append($0) }
            XCTAssertTrue(Self.pump { fixture.state.status.info != nil })

            fixture.pipeline.open([broken, odd])
            XCTAssertTrue(Self.pump { problems.count == 2 })
            // A file that is no photo: its state and the message name it.
            guard case .failed(let message)? = fixture.photo("broken.png")?.state else {
                return XCTFail("broken.png is not failed: \(String(describing: fixture.photo("broken.png")?.state))")
            }
            XCTAssertTrue(message.hasPrefix("broken.png: "), message)
            XCTAssertTrue(problems.contains(message), "\(problems)")
            // A photo the model cannot label keeps its boxes, without names, and is not asked again.
            XCTAssertTrue(problems.contains { $0.hasPrefix("odd.png: the model could not label the faces: ") && $0.contains("no member looks like this") },
                          "\(problems)")
            let oddPhoto = try XCTUnwrap(fixture.photo("odd.png"))
            XCTAssertEqual(Self.analysis(oddPhoto)?.faces.count, 1)
            XCTAssertEqual(oddPhoto.labels?.generation, fixture.state.status.info?.generation)
            XCTAssertEqual(fixture.naming.annotations(of: oddPhoto).map(\.accessibleName), ["Face 1"])

            // A folder without photos.
            fixture.pipeline.open([empty])
            XCTAssertTrue(Self.pump { problems.count == 3 })
            XCTAssertEqual(problems.last, "empty: no photos found")
            XCTAssertEqual(fixture.pipeline.session.photos.count, 2)
        }
    }
}
