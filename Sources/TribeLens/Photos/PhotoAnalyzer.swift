import Dispatch
import FaceKit
import Foundation

/// Decodes photos and finds their faces off the GTK thread and reports back on the GTK thread.
/// Analyses run one at a time (the detector is the heavy part; the machine may have 2 cores);
/// previews of already analysed photos are re-made on a second queue so that going back to a
/// photo never waits behind a long list of analyses. Detectors are built on first use (loading a
/// cascade or a network takes time): the Preferences' one, and those active models name.
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

    private let analysisQueue = DispatchQueue(label: "io.github.tribelens.analysis", qos: .userInitiated)
    private let previewQueue = DispatchQueue(label: "io.github.tribelens.preview", qos: .userInteractive)
    private let loader: PhotoLoader
    private let detectors: DetectorCache

    /// `makeDetector`: the detector used while no model is active (the Preferences' choice).
    /// `yunetModel`: a YuNet file named by the user (TRIBELENS_YUNET_MODEL), for models that use YuNet.
    convenience init(loader: PhotoLoader = PhotoLoader(), makeDetector: @escaping DetectorFactory, yunetModel: String? = nil) {
        self.init(loader: loader, makeDetector: makeDetector) { try $0.makeDetector(yunetModel: yunetModel) }
    }

    /// `makeModelDetector`: the detector of an active model's preparation (tests pass fakes).
    init(loader: PhotoLoader = PhotoLoader(), makeDetector: @escaping DetectorFactory,
         makeModelDetector: @escaping PreparedDetectorFactory) {
        self.loader = loader
        self.detectors = DetectorCache(fallback: makeDetector, prepared: makeModelDetector)
    }

    /// Expands folders into the photos inside them (recursively), keeping files as given.
    func expand(_ urls: [URL], then deliver: @escaping @MainActor @Sendable ([URL]) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            let photos = PhotoFiles.collect(urls)
            MainLoop.post { deliver(photos) }
        }
    }

    /// Decodes `url` and finds its faces as `preparation` says (the active model's; nil: the
    /// Preferences' detector and 64x64 box crops); `deliver` runs on the GTK thread.
    func analyze(_ url: URL, preparation: FacePreparation?, then deliver: @escaping @MainActor @Sendable (Outcome) -> Void) {
        analysisQueue.async { [loader, detectors] in
            let outcome = Self.analyze(url, loader: loader, detectors: detectors, preparation: preparation)
            MainLoop.post { deliver(outcome) }
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

    private static func analyze(_ url: URL, loader: PhotoLoader, detectors: DetectorCache, preparation: FacePreparation?) -> Outcome {
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
            // photo decoded at the detector's size, crops from full-size regions.
            let found: FoundFaces
            do {
                found = try FoundFaces.find(in: photo, loader: loader, detector: faceDetector)
            } catch let error as PhotoError {
                return Outcome(state: .failed(String(describing: error)), preview: nil)
            }
            let crops = try FaceCrops.make(used.input, faces: found.faces, from: found.pixels)
            let hash = ContentHash.sha256(photo.data)
            let preview = PreviewImage(found.decoded.image)
            let thumbnail = PreviewImage(found.decoded.image, maxSide: 128)
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

/// The detectors, each created on first use. Only touched from the analysis queue (serial).
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
