import Dispatch
import FaceKit
import Foundation

/// Decodes photos and finds their faces off the GTK thread and reports back on the GTK thread.
/// Analyses run one at a time (the detector is the heavy part; the machine may have 2 cores);
/// previews of already analysed photos are re-made on a second queue so that going back to a
/// photo never waits behind a long list of analyses. The detector is built on first use:
/// loading a cascade or a network takes time.
final class PhotoAnalyzer: Sendable {
    typealias DetectorFactory = @Sendable () throws -> any FaceDetector

    /// One analysis: the new state and, when the photo decoded, its preview and thumbnail.
    struct Outcome: Sendable {
        let state: Photo.State
        let preview: PreviewImage?
        var thumbnail: PreviewImage? = nil
    }

    private let analysisQueue = DispatchQueue(label: "io.github.tribelens.analysis", qos: .userInitiated)
    private let previewQueue = DispatchQueue(label: "io.github.tribelens.preview", qos: .userInteractive)
    private let loader: PhotoLoader
    private let detector: LazyDetector

    init(loader: PhotoLoader = PhotoLoader(), makeDetector: @escaping DetectorFactory) {
        self.loader = loader
        self.detector = LazyDetector(make: makeDetector)
    }

    /// Expands folders into the photos inside them (recursively), keeping files as given.
    func expand(_ urls: [URL], then deliver: @escaping @MainActor @Sendable ([URL]) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            let photos = PhotoFiles.collect(urls)
            MainLoop.post { deliver(photos) }
        }
    }

    /// Decodes `url` and finds its faces; `deliver` runs on the GTK thread.
    func analyze(_ url: URL, then deliver: @escaping @MainActor @Sendable (Outcome) -> Void) {
        analysisQueue.async { [loader, detector] in
            let outcome = Self.analyze(url, loader: loader, detector: detector)
            MainLoop.post { deliver(outcome) }
        }
    }

    /// Decodes `url` again for its preview only (nil if it no longer decodes).
    func preview(_ url: URL, then deliver: @escaping @MainActor @Sendable (PreviewImage?) -> Void) {
        previewQueue.async { [loader] in
            let preview = (try? loader.load(url)).map { PreviewImage($0) }
            MainLoop.post { deliver(preview) }
        }
    }

    private static func analyze(_ url: URL, loader: PhotoLoader, detector: LazyDetector) -> Outcome {
        let start = DispatchTime.now()
        let image: RGBImage
        do {
            image = try loader.load(url)
        } catch {
            return Outcome(state: .failed(String(describing: error)), preview: nil)
        }
        do {
            let faceDetector = try detector.get()
            let faces = try faceDetector.detect(in: image)
            let crops = try Self.crops(of: faces, in: image)
            let hash = (try? Data(contentsOf: url)).map(ContentHash.sha256)
            let preview = PreviewImage(image)
            let thumbnail = PreviewImage(image, maxSide: 128)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let analysis = PhotoAnalysis(width: image.width, height: image.height, faces: faces, seconds: seconds,
                                         detector: faceDetector.name, crops: crops, contentHash: hash)
            return Outcome(state: .analyzed(analysis), preview: preview, thumbnail: thumbnail)
        } catch {
            return Outcome(state: .failed("\(url.lastPathComponent): face detection failed: \(error)"), preview: nil)
        }
    }
}

extension PhotoAnalyzer {
    /// The faces as a model sees them: box clamped to the photo, resized to 64x64 (FaceKit's
    /// `PhotoPrediction` and the dataset pipeline crop the same way).
    static func crops(of faces: [FaceBox], in image: RGBImage) throws -> [UInt8] {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(faces.count * ImageLayout.bytes)
        for box in faces {
            pixels += try image.cropped(to: box).resized(width: ImageLayout.side, height: ImageLayout.side).pixels
        }
        return pixels
    }
}

/// The detector, created on first use. Only touched from the analysis queue (serial).
private final class LazyDetector: @unchecked Sendable {
    private let make: PhotoAnalyzer.DetectorFactory
    private var made: Result<any FaceDetector, any Error>?

    init(make: @escaping PhotoAnalyzer.DetectorFactory) { self.make = make }

    func get() throws -> any FaceDetector {
        if made == nil { made = Result { try make() } }
        return try made!.get()
    }
}
