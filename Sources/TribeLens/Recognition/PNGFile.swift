import CGtk
import Foundation
import SafeFiles

/// PNG files the app writes (annotated photos, charts): cairo surface to PNG bytes, and bytes to
/// a file atomically through SafeFiles, so readers see the old file or the new one, never half a
/// PNG.
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
            throw ExportError(message: L10n.format(L10n.tr("PNG encoding failed: %s"), String(cString: cairo_status_to_string(status))))
        }
        return withExtendedLifetime(sink) { sink.data }
    }

    /// Replaces `url` atomically (`SafeFiles.AtomicFile`). Errors name the file or folder and the
    /// system's reason ("Permission denied").
    static func writeAtomically(_ data: Data, to url: URL) throws(ExportError) {
        let name = url.lastPathComponent
        let folder = url.deletingLastPathComponent().path
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            switch error.step {
            case .noFileName: throw ExportError(message: L10n.format(L10n.tr("cannot save to %s: no file name"), url.path))
            case .missingFolder:
                throw ExportError(message: L10n.format(L10n.tr("cannot save %1$s: the folder %2$s does not exist"), name, folder), reason: L10n.tr("the folder does not exist"))
            case .createTemporary: throw ExportError(message: L10n.format(L10n.tr("cannot save %1$s in %2$s: %3$s"), name, folder, error.reason), reason: error.reason)
            default: throw ExportError(message: L10n.format(L10n.tr("cannot save %1$s: %2$s"), url.path, error.reason), reason: error.reason)
            }
        }
    }

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
