import CGtk  // GLib's main context only: the analyzer answers through it
import FaceKit
import Foundation
import SharedTestSupport
import XCTest
@testable import TribeLens

/// A folder streaming in: thumbnails from reduced decodes cached by content, two analyses at
/// once, the progress the bar shows, Cancel, and the model warmed up when it loads.
final class PhotoStreamingTests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tl-streaming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: home) }

    /// A photo of one colour, or left half `left` and right half `right`.
    private func photo(_ name: String, width: Int, height: Int, left: [UInt8], right: [UInt8]? = nil) throws -> URL {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for _ in 0..<height { for x in 0..<width { pixels += x < width / 2 ? left : (right ?? left) } }
        let url = home.appendingPathComponent(name)
        try RGBImage(width: width, height: height, pixels: pixels).write(to: url)
        return url
    }

    func testTheReductionLeavesAThumbnailsWorthOfPixels() {
        XCTAssertEqual(ThumbnailStore.reduction(width: 4000, height: 3000), 8)   // 500x375
        XCTAssertEqual(ThumbnailStore.reduction(width: 3000, height: 4000), 8)
        XCTAssertEqual(ThumbnailStore.reduction(width: 1000, height: 700), 4)    // 250; 1/8 would be 125
        XCTAssertEqual(ThumbnailStore.reduction(width: 300, height: 200), 2)
        XCTAssertEqual(ThumbnailStore.reduction(width: 250, height: 250), 1)
        XCTAssertEqual(ThumbnailStore.reduction(width: 20, height: 10), 1)
    }

    func testAThumbnailIsDecodedReducedAndThenComesFromTheCacheByContent() throws {
        let red: [UInt8] = [220, 20, 20], blue: [UInt8] = [20, 20, 220]
        let url = try photo("wide.png", width: 2048, height: 1536, left: red, right: blue)
        let folder = home.appendingPathComponent("cache/thumbnails")
        let store = ThumbnailStore(folder: folder)

        // The decode itself is at 1/8 a side: 256x192, not 2048x1536 shrunk afterwards.
        let reduced = try store.reducedDecode(try PhotoLoader().open(url))
        XCTAssertEqual([reduced.width, reduced.height], [256, 192])
        let made = try store.thumbnail(for: url)
        XCTAssertEqual([made.image.width, made.image.height], [128, 96])
        XCTAssertEqual(made.contentHash, ContentHash.sha256(try Data(contentsOf: url)))
        // Left is red, right is blue (BGRX bytes).
        XCTAssertEqual(Array(made.image.bgrx[(48 * 128 + 10) * 4 ..< (48 * 128 + 10) * 4 + 3]), [20, 20, 220])
        XCTAssertEqual(Array(made.image.bgrx[(48 * 128 + 118) * 4 ..< (48 * 128 + 118) * 4 + 3]), [220, 20, 20])
        let cached = store.cacheFile(made.contentHash)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cached.path))

        // The same bytes under another name come from the cache: put a different (valid)
        // thumbnail there and it is what comes back.
        let green = PreviewImage(width: 2, height: 1, bgrx: [0, 255, 0, 255, 0, 255, 0, 255])
        try ThumbnailStore.encode(green).write(to: cached)
        let copy = home.appendingPathComponent("copy.png")
        try FileManager.default.copyItem(at: url, to: copy)
        let again = try store.thumbnail(for: copy)
        XCTAssertEqual([again.image.width, again.image.height], [2, 1])
        XCTAssertEqual(again.image.bgrx, green.bgrx)

        // A cut-short cache file is made again from the photo.
        try Data(ThumbnailStore.encode(made.image).prefix(100)).write(to: cached)
        XCTAssertEqual(try store.thumbnail(for: url).image.bgrx, made.image.bgrx)
        XCTAssertEqual(ThumbnailStore.parse(try Data(contentsOf: cached))?.bgrx, made.image.bgrx)
        XCTAssertNil(ThumbnailStore.parse(Data("TLTHUMB1".utf8) + Data(repeating: 0, count: 8)))

        // Not a photo: the error names the file.
        let junk = home.appendingPathComponent("junk.jpg")
        try Data("not a photo".utf8).write(to: junk)
        XCTAssertThrowsError(try store.thumbnail(for: junk)) { XCTAssertTrue("\($0)".contains("junk.jpg"), "\($0)") }
    }

    func testTheProgressCountsAnalysedAndFailedPhotos() {
        let url = URL(fileURLWithPath: "/p/a.jpg")
        let done = Photo.State.analyzed(PhotoAnalysis(width: 1, height: 1, faces: [], seconds: 0))
        let photos = [Photo(id: 0, url: url, state: done), Photo(id: 1, url: url, state: .failed("x")),
                      Photo(id: 2, url: url), Photo(id: 3, url: url)]
        let running = AnalysisProgress(photos: photos, stopped: false)
        XCTAssertEqual([running.total, running.done], [4, 2])
        XCTAssertEqual(running.fraction, 0.5)
        XCTAssertTrue(running.visible && running.canCancel)
        XCTAssertEqual(running.text, "Finding faces: 2 of 4 photos")
        let stopped = AnalysisProgress(photos: photos, stopped: true)
        XCTAssertTrue(stopped.visible)
        XCTAssertFalse(stopped.canCancel)
        XCTAssertEqual(stopped.text, "Stopped: 2 of 4 photos analysed")
        XCTAssertFalse(AnalysisProgress(photos: Array(photos.prefix(2)), stopped: false).visible, "all done")
        XCTAssertFalse(AnalysisProgress(photos: [photos[2]], stopped: false).visible, "one photo has its own badge")
        XCTAssertEqual(photos[2].faceCountText(stopped: true), "Not analysed")
        XCTAssertEqual(photos[2].faceCountText(stopped: false), "Finding faces…")
        XCTAssertEqual(photos[0].faceCountText(stopped: true), "No faces")
    }

    func testTheNextPhotoToAnalyseSkipsTheOnesUnderWayAndChangesCountRevisions() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            let photos = session.add(["a", "b", "c"].map { URL(fileURLWithPath: "/p/\($0).jpg") })
            XCTAssertEqual(session.nextToAnalyze(excluding: [photos[0].id])?.id, photos[1].id)
            XCTAssertNil(session.nextToAnalyze(excluding: Set(photos.map(\.id))))
            session.touch(photos[1].id)
            session.touch(photos[1].id)
            XCTAssertEqual(session.photos.map(\.revision), [0, 2, 0])
            session.touchAll()
            XCTAssertEqual(session.photos.map(\.revision), [1, 3, 1])
        }
    }

    /// Counts detections at once; each takes `seconds`.
    private final class Gauge: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 0
        private(set) var most = 0
        private(set) var total = 0

        func detect(seconds: Double) {
            lock.lock(); now += 1; total += 1; most = max(most, now); lock.unlock()
            Thread.sleep(forTimeInterval: seconds)
            lock.lock(); now -= 1; lock.unlock()
        }

        var count: Int { lock.lock(); defer { lock.unlock() }; return total }
    }

    @MainActor
    private static func pump(seconds: Double = 30, _ done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !done() {
            guard Date() < deadline else { return false }
            _ = g_main_context_iteration(nil, 0)
            usleep(1000)
        }
        return true
    }

    func testAFolderIsAnalysedTwoAtATimeWithThumbnailsAndCancelStopsIt() throws {
        let urls = try (0..<24).map { try photo(String(format: "p%02d.png", $0), width: 64, height: 64, left: [UInt8($0 * 10), 90, 90]) }
        let gauge = Gauge()
        let home = home!
        try MainActor.assumeIsolated {
            let detector = { @Sendable in
                FakeFaceDetector(name: "slow") { image in
                    gauge.detect(seconds: 0.05)
                    return [FaceBox(x: 0, y: 0, width: image.width, height: image.height)]
                } as any FaceDetector
            }
            let analyzer = PhotoAnalyzer(thumbnails: ThumbnailStore(folder: home.appendingPathComponent("thumbnails")),
                                         makeDetector: detector, makeModelDetector: { _ in detector() }, lanes: 2)
            let empty = ModelStore(root: home.appendingPathComponent("models"))
            let recognizer = Recognizer(store: empty, storage: DatasetStorage(cacheRoot: home.appendingPathComponent("c"),
                                                                            dataRoot: home.appendingPathComponent("d"))) {
                ([], PluginReport())
            }
            let state = RecognitionState(recognizer: recognizer, settings: SettingsStore(file: home.appendingPathComponent("s.ini")),
                                         environment: ["TRIBELENS_NAMES": "romaji"])
            let pipeline = PhotoPipeline(analyzer: analyzer, recognition: state)
            var problems: [String] = []
            pipeline.onProblem = { problems.append($0) }
            XCTAssertTrue(Self.pump { state.status == .none })

            pipeline.open(urls)
            XCTAssertTrue(Self.pump { pipeline.session.photos.count == 24 })
            XCTAssertTrue(Self.pump { gauge.count >= 4 })
            pipeline.cancelAnalysis()
            XCTAssertTrue(pipeline.analysisStopped)
            XCTAssertFalse(pipeline.progress.canCancel)
            // The analyses under way finish; no new one starts.
            usleep(300_000)
            _ = Self.pump(seconds: 0.3) { false }
            let analysed = pipeline.progress.done
            XCTAssertLessThan(analysed, 24, "cancelled before the end")
            _ = Self.pump(seconds: 0.5) { false }
            XCTAssertEqual(pipeline.progress.done, analysed, "nothing analysed after Cancel")
            XCTAssertEqual(gauge.most, 2, "two photos analysed at once")
            // Thumbnails keep coming for the whole strip (the user picks photos from it).
            XCTAssertTrue(Self.pump { pipeline.session.photos.allSatisfy { pipeline.thumbnail(for: $0) != nil } })
            XCTAssertEqual(pipeline.session.photos.filter { pipeline.thumbnail(for: $0) != nil }.count, 24)
            // Only the shown photo's screen-sized preview was made, not one per photo.
            let last = try XCTUnwrap(pipeline.session.photos.last)
            XCTAssertEqual(last.faceCountText(stopped: true), "Not analysed")

            // Showing a photo that was not analysed analyses it (and only it).
            pipeline.session.select(23)
            pipeline.analyzeNext()
            XCTAssertTrue(Self.pump { if case .analyzed = pipeline.session.photos[23].state { return true } else { return false } })
            _ = Self.pump(seconds: 0.3) { false }
            XCTAssertEqual(pipeline.progress.done, analysed + 1)

            // Opening more photos is asking again: everything left is analysed.
            pipeline.open([urls[0]])
            XCTAssertTrue(Self.pump { !pipeline.analysisStopped }, "the folder walk delivers, then analysis resumes")
            XCTAssertTrue(Self.pump { pipeline.progress.done == 24 })
            XCTAssertEqual(problems, [])
        }
    }

    func testTheDetectorIsMadeBeforeTheFirstPhotoWhenWarmedUp() {
        let made = Gauge()
        let analyzer = PhotoAnalyzer(thumbnails: ThumbnailStore(folder: home.appendingPathComponent("thumbnails")),
                                     makeDetector: { made.detect(seconds: 0); return FakeFaceDetector { _ in [] } },
                                     makeModelDetector: { _ in FakeFaceDetector { _ in [] } }, lanes: 2)
        XCTAssertEqual(made.count, 0, "made on first use")
        analyzer.warmUp()
        let deadline = Date().addingTimeInterval(10)
        while made.count == 0 && Date() < deadline { usleep(1000) }
        XCTAssertEqual(made.count, 1)
    }

    func testALoadedModelIsWarmedUpBeforeTheFirstPhoto() throws {
        let calls = Gauge()
        let backend = FakeBackend(id: "fake") { _ in calls.detect(seconds: 0); return [0.5, 0.5] }
        let store = ModelStore(root: home.appendingPathComponent("models"))
        let storage = DatasetStorage(cacheRoot: home.appendingPathComponent("c"), dataRoot: home.appendingPathComponent("d"))
        var manifest = ModelManifest(backend: .init(backend.info), classes: ["takahiro", "naoki"], roster: "t", memberGroups: [:],
                                     preset: "original", inputScale: 1, hyperParameters: [:],
                                     training: TrainingPreset.original.configuration(seed: 0), history: [], stop: "completed",
                                     testMetrics: nil, datasetFingerprint: "x", createdAt: Date(timeIntervalSince1970: 1_795_000_000))
        manifest.preprocessing = ["detector": .string("fake")]
        try store.save(name: "m", manifest: manifest, model: try backend.makeModel(ModelConfiguration(classCount: 2)))
        try MainActor.assumeIsolated {
            let recognizer = Recognizer(store: store, storage: storage) { ([backend], PluginReport(backends: ["fake"])) }
            final class Delivered: @unchecked Sendable { var status: ModelStatus? }
            let delivered = Delivered()
            recognizer.load(name: "m") { loaded, _ in delivered.status = loaded }
            XCTAssertTrue(Self.pump { delivered.status != nil })
            XCTAssertNotNil(try XCTUnwrap(delivered.status).info, "loaded")
            XCTAssertEqual(calls.count, 1, "one prediction when the model loaded, before any photo")
        }
    }
}
