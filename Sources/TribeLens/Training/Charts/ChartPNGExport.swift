import CGtk
import Dispatch
import Foundation

/// Renders a chart into a cairo image surface and saves it as a PNG, off the GTK thread. The
/// file is written next to its destination under a hidden temporary name, synced, then renamed
/// over it: readers see the old file or the new one, never half a PNG, and a failure removes the
/// temporary file. Shared by both charts; `AnnotatedPhotoExport.writeAtomically` could use
/// `writeAtomically` here too (it has the same steps, with less precise error messages).
enum ChartPNGExport {
    /// Draws with `draw(cr, width, height)` on a background queue, writes the PNG to `url` and
    /// calls `completion` on the GTK thread.
    static func run(width: Int, height: Int, to url: URL,
                    draw: @escaping @Sendable (OpaquePointer, Double, Double) -> Void,
                    completion: @escaping @MainActor @Sendable (Result<URL, ExportError>) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result { () throws(ExportError) -> URL in
                try writeAtomically(try render(width: width, height: height, draw), to: url)
                return url
            }
            MainLoop.post { completion(result) }
        }
    }

    /// The chart as PNG bytes (opaque RGB; the painter is expected to fill the background).
    static func render(width: Int, height: Int, _ draw: (OpaquePointer, Double, Double) -> Void) throws(ExportError) -> Data {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw ExportError(message: "cannot export a chart of \(width)x\(height) pixels")
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw ExportError(message: "not enough memory for a \(width)x\(height) chart")
        }
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        draw(cr, Double(width), Double(height))
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        return try encode(surface)
    }

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
            throw ExportError(message: "cannot save \(name): the folder \(folder) does not exist")
        }
        let temporary = folder + "/.\(name).\(getpid()).\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExportError(message: "cannot save \(name) in \(folder): \(reason())") }
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
        if let failure { throw ExportError(message: "cannot save \(url.path): \(failure)") }
        guard rename(temporary, url.path) == 0 else { throw ExportError(message: "cannot save \(url.path): \(reason())") }
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
