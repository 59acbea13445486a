import Foundation
import SafeFiles

/// What extraction found in one photo. Cached per (face source, photo content hash) under
/// `$XDG_CACHE_HOME/tribelens/faces/<source>/`, with the 64x64 box crops in a sibling `.rgb`
/// file and the crops of other `InputSpec`s in `.<spec>.rgb` files.
public struct PhotoFaces: Sendable, Codable, Equatable {
    public var contentHash: String
    public var byteCount: Int
    public var width: Int
    public var height: Int
    /// Boxes in photo pixels, in detector order; crop `i` of the `.rgb` file belongs to box `i`.
    public var faces: [FaceBox]
    public var perceptualHash: PerceptualHash?
    /// Why the photo gave nothing (cannot be decoded, too small, ...); nil when it was read.
    public var failure: String?
    /// The decoder's complaint about a photo it still decoded (damaged JPEG data), if any.
    public var warning: String? = nil
}

/// Finds faces in photos and crops them (64x64 box crops, and the aligned crops face
/// recognisers take), using every core (one detector per worker) and a content-keyed cache, so
/// a rebuild only processes photos added or changed.
public struct FaceExtractor: Sendable {
    public static let cropSide = 64
    /// Smaller photos are reported as too small instead of searched (a face needs ~20 px for Haar).
    public static let minimumCropSide = 16

    public var source: FaceSource
    public var storage: DatasetStorage
    public var workers: Int
    public var loader = PhotoLoader()
    /// Crops made while the photo is decoded anyway; others are made on first use (`crops`).
    public var specs: [InputSpec] = [.legacy, .aligned112]

    public init(source: FaceSource, storage: DatasetStorage, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.source = source
        self.storage = storage
        self.workers = max(1, workers)
        loader.budget = DetectorMemory.budget(detectorName: source.detectorName, wholeImage: source.wholeImage)
    }

    public struct Statistics: Sendable, Equatable {
        public var photos = 0
        public var fromCache = 0
        public var processed = 0
        public var seconds = 0.0
    }

    /// Extracts faces from `photos` (results in the same order). `progress(done, total)` is called
    /// from worker threads, serially. Once `isCancelled` says so (asked before each photo, from
    /// worker threads), the workers finish the photo in hand and stop, and this throws
    /// `ExtractionCancelled` (what was found so far stays cached).
    public func extract(_ photos: [URL], progress: (@Sendable (Int, Int) -> Void)? = nil,
                        isCancelled: (@Sendable () -> Bool)? = nil) throws -> (results: [PhotoFaces], statistics: Statistics) {
        let started = Date()
        let state = SharedState(count: photos.count, isCancelled: isCancelled)
        let source = self.source
        let workerCount = min(workers, max(1, photos.count))
        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            let detector: (any FaceDetector)?
            do {
                detector = try source.makeDetector?()
            } catch {
                state.fail(DatasetError("cannot start the face detector \(source.detectorName): \(error)"))
                return
            }
            while let index = state.next() {
                do {
                    let (faces, cached) = try self.faces(in: photos[index], detector: detector)
                    state.finish(index, faces, cached: cached, progress: progress)
                } catch {
                    state.fail(error)
                    return
                }
            }
        }
        if let error = state.error { throw error }
        if let isCancelled, isCancelled(), state.results.contains(where: { $0 == nil }) {
            throw ExtractionCancelled(done: state.results.filter { $0 != nil }.count, total: photos.count)
        }
        var statistics = Statistics()
        statistics.photos = photos.count
        statistics.fromCache = state.cachedCount
        statistics.processed = photos.count - state.cachedCount
        statistics.seconds = Date().timeIntervalSince(started)
        return (state.results.map { $0! }, statistics)
    }

    /// The crops of a photo's faces as `spec` asks, from the cache. A spec the cache does not
    /// hold yet is made from `photo` (checked against the content hash) and stored.
    public func crops(of faces: PhotoFaces, spec: InputSpec = .legacy, photo: URL? = nil) throws -> [RGBImage] {
        let side = spec.side, size = spec.bytes
        guard !faces.faces.isEmpty else { return [] }
        let url = cropsURL(faces.contentHash, spec)
        var bytes: [UInt8]
        if let data = try? Data(contentsOf: url), data.count == size * faces.faces.count {
            bytes = [UInt8](data)
        } else if let photo, spec != .legacy {
            bytes = try makeCrops(spec, of: faces, from: photo)
        } else {
            throw DatasetError("\(url.path): face crop cache entry is missing or damaged; run `tribelens-cli dataset build` again")
        }
        return (0..<faces.faces.count).map { RGBImage(width: side, height: side, pixels: Array(bytes[($0 * size)..<(($0 + 1) * size)])) }
    }

    private func makeCrops(_ spec: InputSpec, of faces: PhotoFaces, from photo: URL) throws -> [UInt8] {
        guard let data = try? loader.contents(of: photo), ContentHash.sha256(data) == faces.contentHash else {
            throw DatasetError("\(photo.path): the photo changed or is gone since its faces were found; run `tribelens-cli dataset build` again")
        }
        // Only the faces' regions are decoded at full size (the 1/8 decode is the fallback when
        // they do not fit the memory budget).
        let encoded = try loader.open(photo, contents: data)
        let small = try loader.decode(encoded, minimumLongSide: 1)
        let bytes = try FaceCrops.make(spec, faces: faces.faces, from: loader.fullSizePixels(small, of: encoded))
        try? writeCacheFile(Data(bytes), to: cropsURL(faces.contentHash, spec))
        return bytes
    }

    private func cropsURL(_ hash: String, _ spec: InputSpec) -> URL {
        let entry = entryURL(hash)
        return spec == .legacy ? entry.appendingPathExtension("rgb") : entry.appendingPathExtension("\(spec.cacheKey).rgb")
    }

    /// The cached extraction result for a photo's content, if any.
    public func cachedFaces(contentHash: String) -> PhotoFaces? {
        let entry = entryURL(contentHash)
        guard let data = try? Data(contentsOf: entry.appendingPathExtension("json")),
              let faces = try? JSONDecoder().decode(PhotoFaces.self, from: data),
              faces.faces.isEmpty || FileManager.default.fileExists(atPath: entry.appendingPathExtension("rgb").path) else { return nil }
        return faces
    }

    // MARK: - One photo

    private func faces(in url: URL, detector: (any FaceDetector)?) throws -> (PhotoFaces, cached: Bool) {
        let data: Data
        do {
            data = try loader.contents(of: url)  // raw name, regular files only, bounded
        } catch {
            return (PhotoFaces(contentHash: "", byteCount: 0, width: 0, height: 0, faces: [], perceptualHash: nil,
                               failure: error.reason), false)
        }
        let hash = ContentHash.sha256(data)
        let entry = entryURL(hash)
        if let cached = cachedFaces(contentHash: hash) { return (cached, true) }
        var result = PhotoFaces(contentHash: hash, byteCount: data.count, width: 0, height: 0, faces: [], perceptualHash: nil, failure: nil)
        var crops: [InputSpec: [UInt8]] = [:]
        do {
            // Detection works on a decode at the detector's size, its memory reserved while it
            // runs (workers together stay under the process's ceiling: MemoryReservations); the
            // crops then decode the faces' regions at full size (PhotoRegions).
            let encoded = try loader.open(url, contents: data)
            let upright = encoded.header.uprightSize
            let tooSmall = min(upright.width, upright.height) < FaceExtractor.minimumCropSide
            let (decoded, boxes) = try loader.withPhoto(encoded, minimumLongSide: FoundFaces.decodeSide(detector)) { decoded in
                result.warning = decoded.warning
                result.width = decoded.fullWidth
                result.height = decoded.fullHeight
                result.perceptualHash = try PerceptualHash(of: decoded.image)
                if tooSmall {
                    // Icons and spacer images of scraped pages: say so rather than "no face found".
                    result.failure = "too small to hold a face (\(upright.width)x\(upright.height))"
                    return (decoded, [FaceBox]())
                }
                // The boxes prediction uses too (nil detector: the whole photo).
                return (decoded, try FaceFinder.faces(in: decoded, detector: detector))
            }
            let pixels = loader.fullSizePixels(decoded, of: encoded)
            for spec in specs { crops[spec] = try FaceCrops.make(spec, faces: boxes, from: pixels) }
            result.faces = boxes
        } catch let error as PhotoError {
            result.failure = error.reason
        } catch let error as DatasetError {
            throw error
        } catch {
            result.failure = "\(error)"
        }
        try store(result, crops: crops, at: entry)
        return (result, false)
    }

    private func entryURL(_ hash: String) -> URL {
        storage.faceCache.appendingPathComponent(source.cacheKey, isDirectory: true)
            .appendingPathComponent(String(hash.prefix(2)), isDirectory: true)
            .appendingPathComponent(hash)
    }

    /// Cache files replace atomically but are not flushed to disk: they are derived data, a crash
    /// only loses the newest entries, and a dataset build writes thousands of them.
    private func writeCacheFile(_ data: Data, to url: URL) throws {
        try AtomicFile.write(data, to: url, durable: false, createFolder: true)
    }

    private func store(_ faces: PhotoFaces, crops: [InputSpec: [UInt8]], at entry: URL) throws {
        do {
            // Crops first: a metadata file is only ever next to complete crops.
            if !faces.faces.isEmpty {
                for (spec, bytes) in crops { try writeCacheFile(Data(bytes), to: cropsURL(faces.contentHash, spec)) }
            }
            try writeCacheFile(try JSONEncoder().encode(faces), to: entry.appendingPathExtension("json"))
        } catch {
            throw DatasetError("\(entry.deletingLastPathComponent().path): cannot write the face cache (\(error.localizedDescription))")
        }
    }
}

/// Work distribution and results shared by the extraction workers.
private final class SharedState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var done = 0
    private(set) var results: [PhotoFaces?]
    private(set) var cachedCount = 0
    private(set) var error: Error?

    private let isCancelled: (@Sendable () -> Bool)?

    init(count: Int, isCancelled: (@Sendable () -> Bool)?) {
        results = Array(repeating: nil, count: count)
        self.isCancelled = isCancelled
    }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard error == nil, nextIndex < results.count, isCancelled?() != true else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    func finish(_ index: Int, _ faces: PhotoFaces, cached: Bool, progress: (@Sendable (Int, Int) -> Void)?) {
        lock.lock(); defer { lock.unlock() }
        results[index] = faces
        if cached { cachedCount += 1 }
        done += 1
        progress?(done, results.count)
    }

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }
}
