import CGtk
import Foundation

/// A Save dialog (GtkFileChooserNative: the portal's where there is one; GTK 4.8 has no
/// GtkFileDialog). Asks before replacing an existing file.
@MainActor
enum SaveDialog {
    static func present(title: String, suggestedName: String, parent: Widget,
                        onChoose: @escaping @MainActor (URL) -> Void) {
        guard let dialog = gtk_file_chooser_native_new(title, parent.cast(), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                       L10n.tr("_Save"), L10n.tr("_Cancel")) else { return }
        gtk_file_chooser_set_current_name(dialog, suggestedName)
        let png = gtk_file_filter_new()!
        gtk_file_filter_set_name(png, L10n.tr("PNG images"))
        gtk_file_filter_add_mime_type(png, "image/png")
        gtk_file_chooser_add_filter(dialog, png)
        g_object_unref(UnsafeMutableRawPointer(png))
        gtk_native_dialog_set_modal(dialog.cast(), 1)
        Signals.connectInt(UnsafeMutableRawPointer(dialog), "response") { response in
            var chosen: URL?
            if response == GTK_RESPONSE_ACCEPT.rawValue, let file = gtk_file_chooser_get_file(dialog) {
                chosen = GFileURL.url(file)
                g_object_unref(UnsafeMutableRawPointer(file))
            }
            gtk_native_dialog_destroy(dialog.cast())
            g_object_unref(UnsafeMutableRawPointer(dialog))
            if let chosen { onChoose(chosen) }
        }
        gtk_native_dialog_show(dialog.cast())
    }
}
