import CGtk
import Foundation

/// The Open dialog (GtkFileChooserNative: the portal's chooser where there is one; GTK 4.8 has
/// no GtkFileDialog). Several photos at once, one folder to search for photos, or one file of
/// a kind (a roster).
@MainActor
enum OpenDialog {
    enum Kind: Equatable {
        case photos, folder
        case file(title: String, pattern: String)
    }

    static func present(_ kind: Kind, parent: Widget, onChoose: @escaping @MainActor ([URL]) -> Void) {
        let isFolder = kind == .folder
        var title = isFolder ? L10n.tr("Open Folder") : L10n.tr("Open Photos")
        if case .file(let fileTitle, _) = kind { title = fileTitle }
        guard let dialog = gtk_file_chooser_native_new(
            title, parent.cast(),
            isFolder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_OPEN,
            L10n.tr("_Open"), L10n.tr("_Cancel")) else { return }
        let chooser = dialog  // GtkFileChooser interface of the same object
        if case .file(_, let pattern) = kind {
            let filter = gtk_file_filter_new()!
            gtk_file_filter_add_pattern(filter, pattern)
            gtk_file_filter_set_name(filter, pattern)
            gtk_file_chooser_add_filter(chooser, filter)
            g_object_unref(UnsafeMutableRawPointer(filter))
        } else {
            gtk_file_chooser_set_select_multiple(chooser, 1)
        }
        if kind == .photos {
            let photos = gtk_file_filter_new()!
            gtk_file_filter_set_name(photos, L10n.tr("Photos"))
            gtk_file_filter_add_pixbuf_formats(photos)
            for type in ["image/jpeg", "image/png", "image/webp", "image/bmp", "image/tiff"] {
                gtk_file_filter_add_mime_type(photos, type)
            }
            gtk_file_chooser_add_filter(chooser, photos)
            let all = gtk_file_filter_new()!
            gtk_file_filter_set_name(all, L10n.tr("All files"))
            gtk_file_filter_add_pattern(all, "*")
            gtk_file_chooser_add_filter(chooser, all)
            g_object_unref(UnsafeMutableRawPointer(photos))
            g_object_unref(UnsafeMutableRawPointer(all))
        }
        gtk_native_dialog_set_modal(dialog.cast(), 1)
        Signals.connectInt(UnsafeMutableRawPointer(dialog), "response") { response in
            var urls: [URL] = []
            if response == GTK_RESPONSE_ACCEPT.rawValue, let files = gtk_file_chooser_get_files(chooser) {
                urls = GFileURL.urls(model: files)
                g_object_unref(UnsafeMutableRawPointer(files))
            }
            gtk_native_dialog_destroy(dialog.cast())
            g_object_unref(UnsafeMutableRawPointer(dialog))  // the reference from _new
            if !urls.isEmpty { onChoose(urls) }
        }
        gtk_native_dialog_show(dialog.cast())
    }
}
