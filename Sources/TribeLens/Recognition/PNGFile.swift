import CGtk
import Foundation

/// PNG files the app writes (annotated photos, charts): cairo surface to PNG bytes, and bytes to
/// a file atomically — a hidden temporary file next to the destination, fsync, rename over it,
/// fsync the folder — so readers see the old file or the new one, never half a PNG.
enum PNGFile {
    /// PNG bytes of a cairo image surface.
    static func encode(_ surface: OpaquePointer) throws(ExportError) -> Data {
        let sink = Sink()
        let status = cairo_surface_write_to_png_stream(surface, { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else {
            throw ExportError(message: "PNG encoding failed: \(String(cString: cairo_status_to_string(status)))")
        }
        return withExtendedLifetime(sink) { sink.data }
    }

    /// Temporary file in the destination's folder, fsync, rename over the destination, fsync the
    /// folder. Errors name the file or folder and the system's reason ("Permission denied").
    static func writeAtomically(_ data: Data, to url: URL) throws(ExportError) {
        let name = url.lastPathComponent
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard !name.isEmpty, name != "/" else { throw ExportError(message: "cannot save to \(url.path): no file name") }
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ExportError(message: "cannot save \(name): the folder \(folder) does not exist", reason: "the folder does not exist")
        }
        let temporary = folder + "/.\(name).\(getpid()).\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { let why = reason(); throw ExportError(message: "cannot save \(name) in \(folder): \(why)", reason: why) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = reason(); return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = reason() }
        if close(fd) != 0, failure == nil { failure = reason() }
        if let failure { throw ExportError(message: "cannot save \(url.path): \(failure)", reason: failure) }
        guard rename(temporary, url.path) == 0 else { let why = reason(); throw ExportError(message: "cannot save \(url.path): \(why)", reason: why) }
        renamed = true
        // The rename itself is only durable once the folder is synced.
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 { _ = fsync(folderFD); close(folderFD) }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }

    private final class Sink {
        var data = Data()
    }
}

struct ExportError: Error, Sendable, CustomStringConvertible {
    let message: String
    /// The system's reason alone ("Permission denied"), for callers that name the file themselves.
    var reason: String?
    var description: String { message }

    init(message: String, reason: String? = nil) {
        self.message = message
        self.reason = reason
    }
}
