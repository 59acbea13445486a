import Dispatch
import FaceKit
import Foundation

/// Decodes photos and finds their faces off the GTK thread and reports back on the GTK thread.
/// Two analyses run at once on a machine with two cores or more (`lanes`), each lane with its
/// own detectors (YuNet keeps per-input-size state) and its decode held within the process's
/// photo memory (`PhotoLoader.withPhoto`), so two 12 MP photos wait for each other rather than
/// pass the ceiling. Thumbnails come from reduced decodes on their own queue (`ThumbnailStore`),
/// ahead of the analyses; previews of already analysed photos are re-made on a third queue so
/// that going back to a photo never waits behind a long list of analyses, and the zoomed view's
/// larger decodes (`refine`) run on a fourth, so neither waits for the other. Detectors are built on
/// first use (loading a cascade or a network takes time): the Preferences' one, and those
/// active models name.
final class PhotoAnalyzer: Sendable {
    typealias DetectorFactory = @Sendable () throws -> any FaceDetector
    /// Makes the detector a model's preparation names.
    typealias PreparedDetectorFactory = @Sendable (FacePreparation) throws -> any FaceDetector

    /// One analysis: the new state and, when the photo decoded, its preview and thumbnail.
    struct Outcome: Sendable {
        let state: Photo.State
        let preview: PreviewImage?
        var thumbnail: PreviewImage? = nil
    }

    /// Analyses that may run at once (the pipeline asks for no more).
    let lanes: Int
    private let analysisLanes: [AnalysisLane]
    private let freeLanes: LanePool
    private let previewQueue = DispatchQueue(label: "io.github.tribelens.preview", qos: .userInteractive)
    private let thumbnailQueue = DispatchQueue(label: "io.github.tribelens.thumbnails", qos: .utility)
    private let refineQueue = DispatchQueue(label: "io.github.tribelens.refine", qos: .userInitiated)
    private let latestRefine = LatestToken()
    private let loader: PhotoLoader
    /// The loader for refined images: its budget counts the BGRX copy made while the decode is
    /// held (4 bytes a pixel), which is what the canvas then draws from.
    private let refineLoader: PhotoLoader
    private let thumbnails: ThumbnailStore

    /// `makeDetector`: the detector used while no model is active (the Preferences' choice).
    /// `yunetModel`: a YuNet file named by the user (TRIBELENS_YUNET_MODEL), for models that use YuNet.
    convenience init(loader: PhotoLoader = PhotoLoader(), makeDetector: @escaping DetectorFactory, yunetModel: String? = nil) {
        self.init(loader: loader, thumbnails: ThumbnailStore(loader: loader), makeDetector: makeDetector) {
            try $0.makeDetector(yunetModel: yunetModel)
        }
    }

    /// `makeModelDetector`: the detector of an active model's preparation (tests pass fakes).
    /// `thumbnails`: where the strip's thumbnails are cached (tests give a temporary folder).
    /// `lanes`: analyses at once, by default one per core up to two.
    init(loader: PhotoLoader = PhotoLoader(), thumbnails: ThumbnailStore, makeDetector: @escaping DetectorFactory,
         makeModelDetector: @escaping PreparedDetectorFactory,
         lanes: Int = min(2, max(1, ProcessInfo.processInfo.activeProcessorCount))) {
        self.loader = loader
        var refineLoader = loader
        refineLoader.budget = DecodeBudget(workBytesPerPixel: 4)
        self.refineLoader = refineLoader
        self.thumbnails = thumbnails
        self.lanes = max(1, lanes)
        analysisLanes = (0..<self.lanes).map { index in
            AnalysisLane(queue: DispatchQueue(label: "io.github.tribelens.analysis.\(index)", qos: .userInitiated),
                         detectors: DetectorCache(fallback: makeDetector, prepared: makeModelDetector))
        }
        freeLanes = LanePool(count: self.lanes)
    }

    /// Builds the Preferences' detector on the first lane now: loading a cascade or a network is
    /// most of the first photo's analysis, and the app calls this before GTK starts.
    func warmUp() {
        let lane = analysisLanes[0]
        lane.queue.async { _ = try? lane.detectors.get(nil) }
    }

    /// Expands folders into the photos inside them (recursively), keeping files as given.
    func expand(_ urls: [URL], then deliver: @escaping @MainActor @Sendable ([URL]) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            let photos = PhotoFiles.collect(urls)
            MainLoop.post { deliver(photos) }
        }
    }

    /// Decodes `url` and finds its faces as `preparation` says (the active model's; nil: the
    /// Preferences' detector and 64x64 box crops); `deliver` runs on the GTK thread. The screen-
    /// sized preview is made only when `preview` (the shown photo: a folder of a thousand must
    /// not keep a thousand of them), the thumbnail only when `thumbnail`.
    func analyze(_ url: URL, preparation: FacePreparation?, preview: Bool = true, thumbnail: Bool = true,
                 then deliver: @escaping @MainActor @Sendable (Outcome) -> Void) {
        let index = freeLanes.take()
        let lane = analysisLanes[index]
        lane.queue.async { [loader, freeLanes] in
            let outcome = Self.analyze(url, loader: loader, detectors: lane.detectors, preparation: preparation,
                                       preview: preview, thumbnail: thumbnail)
            freeLanes.give(index)
            MainLoop.post { deliver(outcome) }
        }
    }

    /// The strip's thumbnail of `url` from the cache or a reduced decode (nil if it does not
    /// decode: its analysis says why), with the photo's content hash.
    func thumbnail(_ url: URL, then deliver: @escaping @MainActor @Sendable (PreviewImage?) -> Void) {
        thumbnailQueue.async { [thumbnails] in
            let made = try? thumbnails.thumbnail(for: url)
            MainLoop.post { deliver(made?.image) }
        }
    }

    /// Decodes `url` again for its preview only (nil if it no longer decodes).
    func preview(_ url: URL, then deliver: @escaping @MainActor @Sendable (PreviewImage?) -> Void) {
        previewQueue.async { [loader] in
            // Screen size is all a preview needs: JPEGs decode at 1/2 to 1/8 by DCT scaling.
            let preview = (try? loader.decode(loader.open(url), minimumLongSide: PreviewImage.defaultMaxSide)).map { PreviewImage($0.image) }
            MainLoop.post { deliver(preview) }
        }
    }

    /// A refined image: the photo decoded at 1/`reduction` a side, not shrunk afterwards.
    struct Refined: Sendable {
        let image: RefinedImage
        let reduction: Int
    }

    /// Decodes `url` at 1/`reduction` a side for the zoomed view (more reduced if that does not
    /// fit the photo memory or the pixel limit: `PhotoLoader`). Skipped (nil) when another refine
    /// was asked for, or `cancelRefine` called, before it starts: a decode already under way runs
    /// to its end and the pipeline drops it.
    func refine(_ url: URL, reduction: Int, token: Int,
                then deliver: @escaping @MainActor @Sendable (Result<Refined, any Error>?) -> Void) {
        latestRefine.set(token)
        refineQueue.async { [refineLoader, latestRefine] in
            guard latestRefine.is(token) else {
                MainLoop.post { deliver(nil) }
                return
            }
            let result = Result { () throws -> Refined in
                let photo = try refineLoader.open(url)
                let longest = max(photo.header.width, photo.header.height)
                // The BGRX copy is made while the decode's memory is still reserved.
                return try refineLoader.withPhoto(photo, minimumLongSide: PhotoRefinement.longSide(longest, reduction: reduction)) {
                    Refined(image: RefinedImage($0.image), reduction: $0.reduction)
                }
            }
            MainLoop.post { deliver(result) }
        }
    }

    /// No refine asked for so far is wanted any more (the view went back to fit or to another photo).
    func cancelRefine() { latestRefine.set(0) }

    private static func analyze(_ url: URL, loader: PhotoLoader, detectors: DetectorCache, preparation: FacePreparation?,
                                preview makePreview: Bool, thumbnail makeThumbnail: Bool) -> Outcome {
        let start = DispatchTime.now()
        let photo: EncodedPhoto
        do {
            photo = try loader.open(url)
        } catch {
            return Outcome(state: .failed(String(describing: error)), preview: nil)
        }
        do {
            let faceDetector = try detectors.get(preparation)
            let used = preparation ?? FacePreparation(detector: faceDetector.name, input: .legacy)
            // The same decode, faces and crops `tribelens-cli predict` makes (`FoundFaces`): the
            // photo decoded at the detector's size, crops from full-size regions. Its decode's
            // memory stays reserved while the faces are found, so the lanes together stay
            // within the photo ceiling.
            let found: FoundFaces
            do {
                found = try FoundFaces.find(in: photo, loader: loader, detector: faceDetector)
            } catch let error as PhotoError {
                return Outcome(state: .failed(String(describing: error)), preview: nil)
            }
            let crops = try FaceCrops.make(used.input, faces: found.faces, from: found.pixels)
            let hash = ContentHash.sha256(photo.data)
            let preview = makePreview ? PreviewImage(found.decoded.image) : nil
            let thumbnail = makeThumbnail ? PreviewImage(found.decoded.image, maxSide: ThumbnailStore.maxSide) : nil
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let analysis = PhotoAnalysis(width: found.decoded.fullWidth, height: found.decoded.fullHeight, faces: found.faces,
                                         seconds: seconds, detector: faceDetector.name, preparation: used, crops: crops,
                                         contentHash: hash)
            return Outcome(state: .analyzed(analysis), preview: preview, thumbnail: thumbnail)
        } catch {
            return Outcome(state: .failed(L10n.format(L10n.tr("%1$s: face detection failed: %2$s"), url.lastPathComponent, "\(error)")), preview: nil)
        }
    }
}

/// One analysis queue (serial) and the detectors only it touches.
private struct AnalysisLane: Sendable {
    let queue: DispatchQueue
    let detectors: DetectorCache
}

/// Which lanes are idle. The pipeline never asks for more analyses than there are lanes, so
/// `take` finds one; if it did not, the analysis queues behind lane 0's.
private final class LanePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Int]

    init(count: Int) { idle = Array((0..<count).reversed()) }

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? 0
    }

    func give(_ index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if !idle.contains(index) { idle.append(index) }
    }
}

/// The newest refine asked for; those queued before it are skipped.
private final class LatestToken: @unchecked Sendable {
    private let lock = NSLock()
    private var token = 0

    func set(_ value: Int) {
        lock.lock()
        defer { lock.unlock() }
        token = value
    }

    func `is`(_ value: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return token == value
    }
}

/// The detectors of one lane, each created on first use. Only touched from its lane's queue.
private final class DetectorCache: @unchecked Sendable {
    private let fallback: PhotoAnalyzer.DetectorFactory
    private let prepared: PhotoAnalyzer.PreparedDetectorFactory
    private var made: [FacePreparation?: Result<any FaceDetector, any Error>] = [:]

    init(fallback: @escaping PhotoAnalyzer.DetectorFactory, prepared: @escaping PhotoAnalyzer.PreparedDetectorFactory) {
        self.fallback = fallback
        self.prepared = prepared
    }

    /// `preparation` nil: the Preferences' detector.
    func get(_ preparation: FacePreparation?) throws -> any FaceDetector {
        if made[preparation] == nil {
            made[preparation] = Result { try preparation.map(prepared) ?? fallback() }
        }
        return try made[preparation]!.get()
    }
}
