import Dispatch
import FaceKit
import Foundation

/// Decodes photos and finds their faces off the GTK thread, one photo at a time (the machine
/// may have two cores; the detector itself is the heavy part), and reports each result back on
/// the GTK thread. The detector is built lazily on the work queue: loading a cascade takes time.
final class PhotoAnalyzer: Sendable {
    typealias DetectorFactory = @Sendable () throws -> any FaceDetector

    private let work = DispatchQueue(label: "io.github.tribelens.analyzer", qos: .userInitiated)
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

    /// Queues `photo` for analysis; `deliver` runs on the GTK thread with the outcome.
    func analyze(_ photo: Photo, then deliver: @escaping @MainActor @Sendable (Int, Photo.State) -> Void) {
        let id = photo.id, url = photo.url
        work.async { [loader, detector] in
            let state = Self.analyze(url, loader: loader, detector: detector)
            MainLoop.post { deliver(id, state) }
        }
    }

    private static func analyze(_ url: URL, loader: PhotoLoader, detector: LazyDetector) -> Photo.State {
        let start = DispatchTime.now()
        let image: RGBImage
        do {
            image = try loader.load(url)
        } catch {
            return .failed(String(describing: error))
        }
        do {
            let faces = try detector.get().detect(in: image)
            let preview = PreviewImage(image)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            return .analyzed(PhotoAnalysis(width: image.width, height: image.height, faces: faces,
                                           preview: preview, seconds: seconds))
        } catch {
            return .failed("\(url.lastPathComponent): face detection failed: \(error)")
        }
    }
}

/// The detector, created on first use. Only touched from the analyzer's serial queue.
private final class LazyDetector: @unchecked Sendable {
    private let make: PhotoAnalyzer.DetectorFactory
    private var made: Result<any FaceDetector, any Error>?

    init(make: @escaping PhotoAnalyzer.DetectorFactory) { self.make = make }

    func get() throws -> any FaceDetector {
        if made == nil { made = Result { try make() } }
        return try made!.get()
    }
}
