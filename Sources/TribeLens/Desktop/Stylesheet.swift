import CGtk

/// The app's stylesheet, `style.css` beside this file: a SwiftPM resource embedded in the binary
/// (`PackageResources.style_css`), so the uninstalled build and an installed app have the same
/// rules without looking for a file. Added once, to the default display, at application priority.
@MainActor
enum Stylesheet {
    private static var loaded = false

    /// The rules as text (also read by the unit tests, which never touch GTK).
    nonisolated static var text: String { String(decoding: PackageResources.style_css, as: UTF8.self) }

    /// Adds the rules to the default display; a no-op without a display or when already added.
    static func load() {
        guard !loaded, let display = gdk_display_get_default() else { return }
        let provider = gtk_css_provider_new()!
        gtk_css_provider_load_from_data(provider, text, -1)
        gtk_style_context_add_provider_for_display(display, provider.opaque,
                                                   UInt32(GTK_STYLE_PROVIDER_PRIORITY_APPLICATION))
        g_object_unref(UnsafeMutableRawPointer(provider))
        loaded = true
    }
}
