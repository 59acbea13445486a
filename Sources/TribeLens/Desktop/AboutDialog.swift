import CGtk

/// About TribeLens (GtkAboutDialog; gtk_show_about_dialog is variadic, so set one by one).
@MainActor
enum AboutDialog {
    static let version = "0.1.0"

    static func present(parent: UnsafeMutablePointer<GtkWindow>?) {
        let dialog = gtk_about_dialog_new()!
        let about = dialog.opaque
        gtk_about_dialog_set_program_name(about, "TribeLens")
        gtk_about_dialog_set_logo_icon_name(about, TribeLensIdentity.appID)
        gtk_about_dialog_set_version(about, version)
        gtk_about_dialog_set_comments(about, L10n.tr("Find the faces in your fan photos and see who is who."))
        gtk_about_dialog_set_copyright(about, L10n.tr("© 2026 The TribeLens authors"))
        // Translators: put your name here, one per line.
        let credits = L10n.tr("translator-credits")
        if credits != "translator-credits" { gtk_about_dialog_set_translator_credits(about, credits) }
        if let parent {
            gtk_window_set_transient_for(dialog.cast(), parent)
            gtk_window_set_modal(dialog.cast(), 1)
        }
        gtk_window_set_hide_on_close(dialog.cast(), 0)
        gtk_window_present(dialog.cast())
    }
}
