import CGtk
import Dispatch
import Foundation

/// Renders a chart into a cairo image surface and saves it as a PNG, off the GTK thread. The
/// file is written next to its destination under a hidden temporary name, synced, then renamed
/// over it: readers see the old file or the new one, never half a PNG, and a failure removes the
/// temporary file (`PNGFile`). Shared by both charts.
enum ChartPNGExport {
    /// Draws with `draw(cr, width, height)` on a background queue, writes the PNG to `url` and
    /// calls `completion` on the GTK thread.
    static func run(width: Int, height: Int, to url: URL,
                    draw: @escaping @Sendable (OpaquePointer, Double, Double) -> Void,
                    completion: @escaping @MainActor @Sendable (Result<URL, ExportError>) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result { () throws(ExportError) -> URL in
                try PNGFile.writeAtomically(try render(width: width, height: height, draw), to: url)
                return url
            }
            MainLoop.post { completion(result) }
        }
    }

    /// The chart as PNG bytes (opaque RGB; the painter is expected to fill the background).
    static func render(width: Int, height: Int, _ draw: (OpaquePointer, Double, Double) -> Void) throws(ExportError) -> Data {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw ExportError(message: L10n.format(L10n.tr("cannot export a chart of %1$dx%2$d pixels"), width, height))
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw ExportError(message: L10n.format(L10n.tr("not enough memory for a %1$dx%2$d chart"), width, height))
        }
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        draw(cr, Double(width), Double(height))
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        return try PNGFile.encode(surface)
    }
}
