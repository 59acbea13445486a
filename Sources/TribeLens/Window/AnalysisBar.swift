import CGtk

/// The bar above the photo strip while a folder's photos are being analysed: how many are done
/// and a Cancel button. It only shows `AnalysisProgress`; Cancel is forwarded.
@MainActor
final class AnalysisBar {
    let widget: Widget
    private let bar: Widget
    private let label: Widget
    private let cancel: Widget
    private var shown: AnalysisProgress?
    var onCancel: @MainActor () -> Void = {}

    init() {
        widget = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)
        Gtk.addClasses(widget, "analysis-bar")
        gtk_widget_set_margin_start(widget, 12)
        gtk_widget_set_margin_end(widget, 12)
        gtk_widget_set_margin_top(widget, 6)
        label = Gtk.label("", classes: ["dim-label", "numeric"], description: "Analysis progress")
        bar = gtk_progress_bar_new()
        gtk_widget_set_hexpand(bar, 1)
        gtk_widget_set_valign(bar, GTK_ALIGN_CENTER)
        cancel = Gtk.button(L10n.tr("_Cancel"))
        // A label of its own would be read with the button's text after it ("Cancel analysis
        // Cancel", GTK 4.8): the description says what is cancelled.
        tl_accessible_set_description(cancel, "Cancel analysis")
        Signals.connect(cancel, "clicked") { [weak self] in self?.onCancel() }
        for child in [label, bar, cancel] { gtk_box_append(widget.cast(), child) }
        Gtk.setVisible(widget, false)
    }

    func update(_ progress: AnalysisProgress) {
        // The strip's photos change hundreds of times a second while a folder streams in:
        // touch GTK only when what the bar says changed.
        guard progress != shown else { return }
        shown = progress
        Gtk.setVisible(widget, progress.visible)
        guard progress.visible else { return }
        gtk_label_set_text(label.opaque, progress.text)
        gtk_progress_bar_set_fraction(bar.opaque, progress.fraction)
        Gtk.setVisible(cancel, progress.canCancel)
    }
}
