import CGtk

/// Style rules of the face targets and popovers, kept apart from `Styles` (the window's).
@MainActor
enum RecognitionStyles {
    private static var loaded = false

    static func load() {
        guard !loaded, let display = gdk_display_get_default() else { return }
        loaded = true
        let provider = gtk_css_provider_new()!
        gtk_css_provider_load_from_data(provider, css, -1)
        gtk_style_context_add_provider_for_display(display, provider.opaque,
                                                   UInt32(GTK_STYLE_PROVIDER_PRIORITY_APPLICATION))
        g_object_unref(UnsafeMutableRawPointer(provider))
    }

    // The boxes are drawn by the canvas; a target only shows keyboard focus and hover.
    private static let css = """
        button.face-target { background: none; border: none; box-shadow: none; min-width: 0; min-height: 0;
                             padding: 0; outline-offset: 2px; }
        button.face-target:hover { background-color: alpha(white, 0.08); }
        button.face-target:focus-visible { outline: 3px solid white; }
        .face-popover button.candidate { padding: 4px 6px; }
        .face-popover progressbar trough, .face-popover progressbar progress { min-height: 6px; }
        """
}
