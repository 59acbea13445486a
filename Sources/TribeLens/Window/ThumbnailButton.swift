import CGtk

/// One tile of the photo strip: the photo's thumbnail (a placeholder icon while it is being
/// analysed or when it failed), named for assistive technology as "file.jpg, 2 faces".
@MainActor
final class ThumbnailButton {
    let widget: Widget
    private let picture: Widget
    private var hasThumbnail = false
    private var placeholder: String?  // icon name shown until the thumbnail comes
    private var name = ""
    private var selected = false
    private var photoID: Int?

    init(onClick: @escaping @MainActor () -> Void) {
        widget = gtk_button_new()
        Gtk.addClasses(widget, "flat", "thumbnail")
        picture = gtk_picture_new()
        gtk_picture_set_content_fit(picture.opaque, GTK_CONTENT_FIT_COVER)
        gtk_picture_set_can_shrink(picture.opaque, 1)
        gtk_widget_set_size_request(picture, 88, 66)
        gtk_button_set_child(widget.cast(), picture)
        Signals.connect(widget, "clicked", onClick)
    }

    func update(_ photo: Photo, thumbnail: PreviewImage?, selected: Bool, stopped: Bool = false) {
        // Touch GTK only on change: the whole strip is updated whenever any photo changes.
        if photo.id != photoID {
            // Another photo in this place (one before it was removed): start afresh.
            photoID = photo.id
            hasThumbnail = false
            placeholder = nil
        }
        let name = "\(photo.fileName), \(photo.faceCountText(stopped: stopped))"
        if name != self.name {
            self.name = name
            tl_accessible_set_label(widget, name)
            gtk_widget_set_tooltip_text(widget, name)
        }
        if selected != self.selected {
            self.selected = selected
            if selected { gtk_widget_add_css_class(widget, "selected") }
            else { gtk_widget_remove_css_class(widget, "selected") }
        }
        if let thumbnail, !hasThumbnail {
            hasThumbnail = true
            let texture = Self.texture(thumbnail)
            gtk_picture_set_paintable(picture.opaque, texture)
            gtk_picture_set_content_fit(picture.opaque, GTK_CONTENT_FIT_COVER)
            g_object_unref(UnsafeMutableRawPointer(texture))
        } else if !hasThumbnail {
            let icon: String
            if case .failed = photo.state { icon = "image-missing-symbolic" } else { icon = "image-x-generic-symbolic" }
            guard icon != placeholder else { return }
            placeholder = icon
            let theme = gtk_icon_theme_get_for_display(gtk_widget_get_display(widget))
            if let paintable = gtk_icon_theme_lookup_icon(theme, icon, nil, 32, 1, GTK_TEXT_DIR_NONE,
                                                          GtkIconLookupFlags(rawValue: 0)) {
                gtk_picture_set_paintable(picture.opaque, paintable)
                g_object_unref(UnsafeMutableRawPointer(paintable))
            }
            gtk_picture_set_content_fit(picture.opaque, GTK_CONTENT_FIT_SCALE_DOWN)
        }
    }

    /// The thumbnail's B, G, R, 255 bytes read as premultiplied BGRA: opaque, so identical.
    private static func texture(_ image: PreviewImage) -> OpaquePointer {
        let bytes = image.bgrx.withUnsafeBytes { g_bytes_new($0.baseAddress, gsize($0.count)) }
        let texture = gdk_memory_texture_new(Int32(image.width), Int32(image.height),
                                             GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, gsize(image.width * 4))!
        g_bytes_unref(bytes)
        return texture
    }
}
