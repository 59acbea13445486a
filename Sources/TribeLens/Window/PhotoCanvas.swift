import CGtk
import FaceKit

/// The photo, scaled to fit the window (small photos are enlarged too), with a box around
/// every face. Drawn with cairo from a screen-sized preview made off the GTK thread; the
/// preview is resampled once per shown size (cairo's good filter is too slow to run per frame).
/// Zoomed past the preview's resolution, a refined image (the photo decoded at 1/4, 1/2 or full
/// size, `PhotoRefinement`) is drawn instead once it comes; the zoom is in full-size photo
/// pixels, so swapping images moves neither the view nor the face boxes. At fit the preview is
/// drawn, never the refined image.
@MainActor
final class PhotoCanvas {
    let widget: Widget
    private var surface: OpaquePointer?  // cairo_surface_t of the preview
    private var scaled: OpaquePointer?   // the preview resampled to the shown size, in device pixels
    private var refinedSurface: OpaquePointer?  // drawing from `refined`'s bytes in place, when zoomed
    private var analysis: PhotoAnalysis?
    private var preview: PreviewImage?
    private var refined: RefinedImage?
    private var shown: (photo: Int, hasPreview: Bool, hasAnalysis: Bool)?
    private var described = ""
    /// What to write on each face (same order as the analysis' faces); empty: plain boxes.
    private var annotations: [FaceAnnotation] = []
    private var highlighted: Int?
    private var zoom = PhotoZoom.fit

    init() {
        widget = tl_drawing_area_new_image()
        gtk_widget_set_hexpand(widget, 1)
        gtk_widget_set_vexpand(widget, 1)
        tl_accessible_set_label(widget, L10n.tr("Photo"))
        let box = Unmanaged.passRetained(HandlerBox<@MainActor (OpaquePointer, Int32, Int32) -> Void> {
            [weak self] cairo, width, height in self?.draw(cairo, width: Double(width), height: Double(height))
        }).toOpaque()
        gtk_drawing_area_set_draw_func(widget.cast(), { _, cairo, width, height, data in
            guard let cairo, let data else { return }
            let box = Unmanaged<HandlerBox<@MainActor (OpaquePointer, Int32, Int32) -> Void>>.fromOpaque(data)
                .takeUnretainedValue()
            MainActor.assumeIsolated { box.handler(cairo, width, height) }
        }, box, { data in Unmanaged<AnyObject>.fromOpaque(data!).release() })
    }

    /// Shows photo `id`'s `preview` (and, zoomed, its `refined` image when there is one) with the
    /// faces of `analysis` (nil: nothing), described for assistive technology as `description`.
    /// Cheap when nothing changed.
    func show(_ id: Int?, _ analysis: PhotoAnalysis?, preview: PreviewImage?, refined: RefinedImage? = nil, description: String) {
        tl_accessible_set_label(widget, description)
        let preview = analysis == nil ? nil : preview
        let refined = preview == nil ? nil : refined
        let key = id.map { (photo: $0, hasPreview: preview != nil, hasAnalysis: analysis != nil) }
        let unchanged: Bool = {
            guard let key, let shown else { return false }
            return key == shown
        }()
        if !unchanged {
            shown = key
            for old in [surface, scaled] { if let old { cairo_surface_destroy(old) } }
            surface = preview.map(Self.makeSurface)
            scaled = nil
            self.analysis = analysis
            self.preview = preview
            gtk_widget_queue_draw(widget)
        }
        if refined !== self.refined {
            if let refinedSurface {
                // Finished first: cairo copies the bytes into any snapshot still held (a frame's
                // recording) and never reads them again, so the image may go.
                cairo_surface_finish(refinedSurface)
                cairo_surface_destroy(refinedSurface)
            }
            refinedSurface = refined.map(Self.makeSurface)
            self.refined = refined
            if !zoom.isFit { gtk_widget_queue_draw(widget) }
        }
        describe()
    }

    /// Names and colours for the faces (from the model and the user's corrections).
    func setAnnotations(_ annotations: [FaceAnnotation], highlighted: Int?) {
        guard annotations != self.annotations || highlighted != self.highlighted else { return }
        self.annotations = annotations
        self.highlighted = highlighted
        gtk_widget_queue_draw(widget)
    }

    /// The zoom (`PhotoZoomController`); the face targets get the same one.
    func setZoom(_ zoom: PhotoZoom) {
        guard zoom != self.zoom else { return }
        self.zoom = zoom
        gtk_widget_queue_draw(widget)
        describe()
    }

    /// The image drawn at the current zoom: the refined one when zoomed and it has come.
    private var drawn: (width: Int, height: Int, surface: OpaquePointer)? {
        if !zoom.isFit, let refined, let refinedSurface { return (refined.width, refined.height, refinedSurface) }
        if let preview, let surface { return (preview.width, preview.height, surface) }
        return nil
    }

    /// The accessible description says how many pixels the shown image has (the GUI tests read
    /// it to see the refined image arrive).
    private func describe() {
        let text = drawn.map { L10n.format(L10n.tr("Shown from an image of %1$d×%2$d pixels"), $0.width, $0.height) } ?? ""
        guard text != described else { return }
        described = text
        tl_accessible_set_description(widget, text)
    }

    /// A surface over `image`'s own bytes (no copy); `image` must outlive it.
    private static func makeSurface(_ image: RefinedImage) -> OpaquePointer {
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, Int32(image.width)))
        precondition(stride == image.stride, "cairo's RGB24 rows are 4 bytes a pixel")
        return cairo_image_surface_create_for_data(image.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_RGB24,
                                                   Int32(image.width), Int32(image.height), Int32(image.stride))!
    }

    private static func makeSurface(_ preview: PreviewImage) -> OpaquePointer {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(preview.width), Int32(preview.height))!
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            let rowBytes = preview.width * 4
            preview.bgrx.withUnsafeBytes { src in
                for row in 0..<preview.height {
                    (data + row * stride).update(from: src.baseAddress!.assumingMemoryBound(to: UInt8.self)
                        + row * rowBytes, count: rowBytes)
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }

    private func draw(_ cr: OpaquePointer, width: Double, height: Double) {
        guard let analysis, let preview, let surface, let drawn else { return }
        guard let geometry = PhotoGeometry(widgetWidth: width, widgetHeight: height,
                                           photoWidth: analysis.width, photoHeight: analysis.height, zoom: zoom) else { return }
        let scale = geometry.scale, left = geometry.left, top = geometry.top
        let shownWidth = Double(analysis.width) * scale, shownHeight = Double(analysis.height) * scale

        if !zoom.isFit {
            // Zoomed: the refined image (else the preview) drawn straight through a transform,
            // bilinear (cheap enough per frame while scrolling; a resampled copy would be as
            // large as the zoom). Both span the photo's full size, so they land on the same place.
            cairo_save(cr)
            cairo_rectangle(cr, 0, 0, width, height)
            cairo_clip(cr)
            cairo_translate(cr, left, top)
            cairo_scale(cr, shownWidth / Double(drawn.width), shownHeight / Double(drawn.height))
            cairo_set_source_surface(cr, drawn.surface, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR)
            cairo_paint(cr)
            cairo_restore(cr)
            paintFaces(cr, geometry: geometry, analysis: analysis, width: width, height: height)
            return
        }

        // Paint the preview resampled to exactly the shown size (and the screen's scale factor).
        let factor = Double(gtk_widget_get_scale_factor(widget))
        let pixelWidth = Int32((shownWidth * factor).rounded()), pixelHeight = Int32((shownHeight * factor).rounded())
        if scaled.map({ cairo_image_surface_get_width($0) != pixelWidth || cairo_image_surface_get_height($0) != pixelHeight }) ?? true {
            if let scaled { cairo_surface_destroy(scaled) }
            scaled = Self.resample(surface, width: pixelWidth, height: pixelHeight,
                                   from: (preview.width, preview.height))
        }
        guard let scaled else { return }
        cairo_save(cr)
        cairo_translate(cr, left, top)
        cairo_scale(cr, 1 / factor, 1 / factor)
        cairo_set_source_surface(cr, scaled, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)

        paintFaces(cr, geometry: geometry, analysis: analysis, width: width, height: height)
    }

    /// Boxes and name tags (AnnotationPainter: the same drawing as the exported PNG).
    private func paintFaces(_ cr: OpaquePointer, geometry: PhotoGeometry, analysis: PhotoAnalysis, width: Double, height: Double) {
        let faces = analysis.faces.enumerated().map { index, box -> AnnotationPainter.Face in
            let rect = geometry.rect(x: box.x, y: box.y, width: box.width, height: box.height)
            let annotation = annotations.indices.contains(index) ? annotations[index]
                : FaceAnnotation(index: index, label: nil, correction: nil, directory: nil, script: .romaji)
            return AnnotationPainter.Face(x: rect.x, y: rect.y, width: rect.width, height: rect.height,
                                          annotation: annotation, highlighted: index == highlighted)
        }
        AnnotationPainter.paint(cr, faces: faces, fontPixels: 13, line: 2.5, bounds: (0, 0, width, height))
    }

    private static func resample(_ source: OpaquePointer, width: Int32, height: Int32,
                                 from size: (width: Int, height: Int)) -> OpaquePointer? {
        guard width > 0, height > 0, let target = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height) else {
            return nil
        }
        let cr = cairo_create(target)
        cairo_scale(cr, Double(width) / Double(size.width), Double(height) / Double(size.height))
        cairo_set_source_surface(cr, source, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_destroy(cr)
        return target
    }
}
