import Foundation
import SafeFiles
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads a pretrained weights file: progress, resume after an interruption (HTTP Range on a
/// `.part` file), size and checksum check (MD5 or SHA-256, as the weights' entry says), then
/// `AtomicFile.publish` (flushed, renamed into place). A file that fails its check is never
/// installed.
public struct WeightsFetcher: Sendable {
    public struct Progress: Sendable {
        public let received: Int64
        public let expected: Int64
        public let resumedFrom: Int64
    }

    public let weights: PretrainedWeights
    public let source: URL
    public let folder: URL

    public init(_ weights: PretrainedWeights, source: URL? = nil, folder: URL = WeightsLocator.ownFolder) {
        self.weights = weights
        self.source = source ?? URL(string: weights.officialURL)!
        self.folder = folder
    }

    public var destination: URL { folder.appendingPathComponent(weights.fileName) }
    public var partial: URL { folder.appendingPathComponent(weights.fileName + ".part") }

    /// Fetches unless a verified copy is already installed; returns where the file is.
    public func fetch(progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws(FetchError) -> URL {
        if FileManager.default.fileExists(atPath: destination.path),
           WeightsLocator.check(destination, against: weights) == .verified {
            return destination
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FetchError("cannot create \(folder.path): \(error.localizedDescription)")
        }
        let already = Int64((try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? NSNumber)?.intValue ?? 0)
        let transfer = Transfer(partial: partial, resumeFrom: already, expected: Int64(weights.byteCount), progress: progress)
        try transfer.run(source)

        let check = WeightsLocator.check(partial, against: weights)
        guard check == .verified else {
            // A finished download with the wrong bytes cannot be resumed into the right ones.
            try? FileManager.default.removeItem(at: partial)
            switch check {
            case .wrongSize(let size):
                throw FetchError("downloaded \(size) bytes, expected \(weights.byteCount): the file was not installed")
            case .wrongChecksum(let digest):
                throw FetchError("checksum mismatch (\(weights.checksum.algorithm) \(digest), expected \(weights.checksum.hex)): "
                                 + "the file was not installed")
            case .verified:
                break
            }
            return destination
        }
        do {
            try AtomicFile.publish(partial, as: destination)
        } catch {
            throw FetchError("cannot move the download into \(destination.path): \(error.reason)")
        }
        return destination
    }
}

/// Why a fetch failed, as one line.
public struct FetchError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One HTTP transfer appended to the `.part` file. URLSession's delegate calls arrive on its own
/// queue; the caller waits on a semaphore, which is fine for a CLI or a background task.
private final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let partial: URL
    let resumeFrom: Int64
    let expected: Int64
    let progress: @Sendable (WeightsFetcher.Progress) -> Void
    private let done = DispatchSemaphore(value: 0)
    private var handle: FileHandle?
    private var received: Int64 = 0
    private var failure: FetchError?
    private var lastReport = Date.distantPast

    init(partial: URL, resumeFrom: Int64, expected: Int64, progress: @escaping @Sendable (WeightsFetcher.Progress) -> Void) {
        self.partial = partial
        self.resumeFrom = resumeFrom
        self.expected = expected
        self.progress = progress
    }

    func run(_ source: URL) throws(FetchError) {
        var request = URLRequest(url: source, timeoutInterval: 60)
        if resumeFrom > 0 { request.setValue("bytes=\(resumeFrom)-", forHTTPHeaderField: "Range") }
        let session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)
        session.dataTask(with: request).resume()
        done.wait()
        session.finishTasksAndInvalidate()
        try? handle?.close()
        if let failure { throw failure }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        do {
            switch status {
            case 206 where resumeFrom > 0:
                handle = try FileHandle(forWritingTo: partial)
                try handle?.seekToEnd()
                received = resumeFrom
            case 200, 206:
                // The server ignored our Range (or there was nothing to resume): start over.
                _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
                handle = try FileHandle(forWritingTo: partial)
                try handle?.truncate(atOffset: 0)
                received = 0
            case 416:
                received = resumeFrom  // nothing left to send: the part file is complete
                completionHandler(.cancel)
                return
            default:
                failure = FetchError("the server answered HTTP \(status) for \(response.url?.absoluteString ?? "the download")")
                completionHandler(.cancel)
                return
            }
            completionHandler(.allow)
        } catch {
            failure = FetchError("cannot write \(partial.path): \(error.localizedDescription)")
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil, let handle else { return }
        do {
            try handle.write(contentsOf: data)
        } catch {
            failure = FetchError("cannot write \(partial.path): \(error.localizedDescription)")
            dataTask.cancel()
            return
        }
        received += Int64(data.count)
        if Date().timeIntervalSince(lastReport) > 0.2 || received == expected {
            lastReport = Date()
            progress(.init(received: received, expected: expected, resumedFrom: resumeFrom))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if failure == nil, let error, (error as NSError).code != NSURLErrorCancelled, received == resumeFrom {
            failure = FetchError("cannot download: \(error.localizedDescription)")
        } else if failure == nil, let error, (error as NSError).code != NSURLErrorCancelled {
            let mb = String(format: "%.1f", Double(received) / 1e6)
            failure = FetchError("download interrupted after \(mb) MB (\(error.localizedDescription)); run the same command again to resume")
        } else if failure == nil, received < expected, received > 0, error == nil {
            // The connection closed cleanly but early: keep the part file for a resume.
            let mb = String(format: "%.1f", Double(received) / 1e6)
            failure = FetchError("download interrupted after \(mb) MB of \(String(format: "%.1f", Double(expected) / 1e6)) MB; run the same command again to resume")
        }
        done.signal()
    }
}
