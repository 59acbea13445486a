import CGtk
import Foundation

/// Accepts files and folders dropped on `widget` (any number; XDND `text/uri-list` from file
/// managers arrives as a GdkFileList) and highlights the widget while a drag hovers over it.
@MainActor
final class PhotoDropTarget {
    private let target: OpaquePointer  // GtkDropTarget, owned by the widget once added
    private let highlighted: Widget
    /// Told when the highlight turns on or off (e.g. to show a "Drop to find faces" hint).
    var onHighlight: @MainActor (Bool) -> Void = { _ in }
    /// Told the dropped files and folders.
    var onDrop: @MainActor ([URL]) -> Void = { _ in }

    /// `highlight` gets the `drop-highlight` CSS class while a drag hovers.
    init(on widget: Widget, highlight: Widget) {
        highlighted = highlight
        target = gtk_drop_target_new(tl_type_file_list(), GDK_ACTION_COPY)
        Signals.connectDragMotion(target, "enter") { [weak self] in
            self?.setHighlighted(true)
            return GDK_ACTION_COPY
        }
        Signals.connect(UnsafeMutableRawPointer(target), "leave") { [weak self] in self?.setHighlighted(false) }
        Signals.connectDrop(target) { [weak self] value in
            guard let self else { return false }
            self.setHighlighted(false)
            let urls = GFileURL.urls(tl_value_get_files(value))
            guard !urls.isEmpty else { return false }
            self.onDrop(urls)
            return true
        }
        gtk_widget_add_controller(widget, target)
    }

    private func setHighlighted(_ on: Bool) {
        if on { gtk_widget_add_css_class(highlighted, "drop-highlight") }
        else { gtk_widget_remove_css_class(highlighted, "drop-highlight") }
        onHighlight(on)
    }
}
