import CGtk

/// The app's few style rules, loaded once per display. Colours come from the theme's named
/// colours so light and dark styles both work (GTK 4.8's theme has no @accent_bg_color yet).
@MainActor
enum Styles {
    private static var loaded = false

    static func load() {
        guard !loaded else { return }
        loaded = install(css)
    }

    /// Adds `css` to the default display at application priority; false when there is no display.
    static func install(_ css: String) -> Bool {
        guard let display = gdk_display_get_default() else { return false }
        let provider = gtk_css_provider_new()!
        gtk_css_provider_load_from_data(provider, css, -1)
        gtk_style_context_add_provider_for_display(display, provider.opaque,
                                                   UInt32(GTK_STYLE_PROVIDER_PRIORITY_APPLICATION))
        g_object_unref(UnsafeMutableRawPointer(provider))
        return true
    }

    private static let css = """
        .empty-title { font-size: 20pt; font-weight: 800; }
        .pill { border-radius: 9999px; padding: 10px 24px; }
        .face-count { border-radius: 9999px; padding: 6px 16px; font-weight: bold; }
        .photo-area.drop-highlight {
            background-color: alpha(@theme_selected_bg_color, 0.15);
            box-shadow: inset 0 0 0 4px @theme_selected_bg_color;
        }
        .drop-hint { border-radius: 12px; padding: 12px 24px; font-size: 14pt; font-weight: bold; }
        .toast { margin-top: 12px; }
        .photo-strip { border-top: 1px solid alpha(currentColor, 0.15); }
        .thumbnail { padding: 3px; border-radius: 8px; }
        .thumbnail.selected { box-shadow: inset 0 0 0 3px @theme_selected_bg_color; }
        """
}
