import CGtk
import Dispatch
import FaceKit
import Foundation

/// Writes the photo with its boxes and name tags as a PNG at the photo's full size, off the GTK
/// thread. The PNG is written to a temporary file in the target folder, synced, then renamed
/// over the target, so a crash never leaves half a PNG. The photo itself is only read.
enum AnnotatedPhotoExport {
    struct Request: Sendable {
        let photo: URL
        let faces: [FaceBox]
        let annotations: [FaceAnnotation]
        let destination: URL
    }

    static func run(_ request: Request, then deliver: @escaping @MainActor @Sendable (Result<URL, ExportError>) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            let result: Result<URL, ExportError>
            do { result = .success(try export(request)) } catch {
                result = .failure(error as? ExportError ?? ExportError(message: "\(error)"))
            }
            MainLoop.post { deliver(result) }
        }
    }

    static func export(_ request: Request) throws(ExportError) -> URL {
        let image: RGBImage
        do { image = try PhotoLoader().load(request.photo) } catch {
            throw ExportError(message: "\(request.photo.lastPathComponent): \(error)")
        }
        let png = try render(image, faces: request.faces, annotations: request.annotations)
        do { try PNGFile.writeAtomically(png, to: request.destination) } catch {
            throw ExportError(message: L10n.format(L10n.tr("could not write %s: %s"), request.destination.path, error.reason ?? error.message))
        }
        return request.destination
    }

    /// The annotated photo as PNG bytes.
    static func render(_ image: RGBImage, faces: [FaceBox], annotations: [FaceAnnotation]) throws(ExportError) -> Data {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(image.width), Int32(image.height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw ExportError(message: L10n.format(L10n.tr("the photo is too large to export (%dx%d)"), image.width, image.height))
        }
        defer { cairo_surface_destroy(surface) }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            image.pixels.withUnsafeBufferPointer { src in
                for y in 0..<image.height {
                    let row = data + y * stride
                    for x in 0..<image.width {
                        let i = (y * image.width + x) * 3
                        row[x * 4] = src[i + 2]; row[x * 4 + 1] = src[i + 1]; row[x * 4 + 2] = src[i]; row[x * 4 + 3] = 255
                    }
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        // Text and lines in proportion to the photo, as they look in the window on a typical screen.
        let side = Double(max(image.width, image.height))
        let font = max(12, side / 55), line = max(2, side / 300)
        let drawn = faces.enumerated().map { index, box in
            AnnotationPainter.Face(x: Double(box.x), y: Double(box.y), width: Double(box.width), height: Double(box.height),
                                   annotation: annotations.indices.contains(index) ? annotations[index]
                                       : FaceAnnotation(index: index, label: nil, correction: nil, directory: nil, script: .romaji))
        }
        AnnotationPainter.paint(cr, faces: drawn, fontPixels: font, line: line,
                                bounds: (0, 0, Double(image.width), Double(image.height)))
        cairo_surface_flush(surface)

        do { return try PNGFile.encode(surface) } catch {
            throw ExportError(message: L10n.tr("PNG encoding failed"))
        }
    }
}
