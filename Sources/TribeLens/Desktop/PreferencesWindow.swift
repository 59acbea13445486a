import CGtk
import FaceKit
import Foundation

/// Preferences (Ctrl+comma, or the main menu): member names, light/dark style, face detector.
/// Each choice is saved at once through `SettingsStore` (no Apply button, as in GNOME apps).
@MainActor
final class PreferencesWindow {
    private static var open: PreferencesWindow?
    let widget: Widget

    static func present(parent: UnsafeMutablePointer<GtkWindow>?) {
        if let open { gtk_window_present(open.widget.cast()); return }
        let window = PreferencesWindow(parent: parent)
        open = window
        Signals.connect(window.widget, "destroy") { PreferencesWindow.open = nil }
        gtk_window_present(window.widget.cast())
    }

    private init(parent: UnsafeMutablePointer<GtkWindow>?) {
        widget = gtk_window_new()
        gtk_window_set_title(widget.cast(), L10n.tr("Preferences"))
        gtk_window_set_default_size(widget.cast(), 460, -1)
        gtk_window_set_resizable(widget.cast(), 0)
        gtk_window_set_titlebar(widget.cast(), gtk_header_bar_new())  // the title and a close button
        if let parent {
            gtk_window_set_transient_for(widget.cast(), parent)
            gtk_window_set_modal(widget.cast(), 1)
        }
        let grid = gtk_grid_new()!
        gtk_grid_set_row_spacing(grid.cast(), 12)
        gtk_grid_set_column_spacing(grid.cast(), 18)
        Gtk.margins(grid, 24)
        gtk_window_set_child(widget.cast(), grid)

        let settings = SettingsStore.shared.settings
        var row: Int32 = 0
        func add(_ title: String, _ choices: [String], selected: Int, hint: String? = nil,
                 onSelect: @escaping @MainActor (Int) -> Void) {
            let label = gtk_label_new(title)!
            gtk_label_set_xalign(label.opaque, 0)
            gtk_widget_set_hexpand(label, 1)
            gtk_grid_attach(grid.cast(), label, 0, row, 1, 1)
            let dropDown = Self.dropDown(choices)
            tl_accessible_set_label(dropDown, title)
            gtk_drop_down_set_selected(dropDown.opaque, UInt32(selected))
            Signals.connectNotify(dropDown, "notify::selected") {
                onSelect(Int(gtk_drop_down_get_selected(dropDown.opaque)))
            }
            gtk_grid_attach(grid.cast(), dropDown, 1, row, 1, 1)
            row += 1
            if let hint {
                let note = Gtk.label(hint, classes: ["dim-label", "caption"])
                gtk_label_set_xalign(note.opaque, 0)
                gtk_label_set_wrap(note.opaque, 1)
                gtk_label_set_max_width_chars(note.opaque, 50)
                gtk_grid_attach(grid.cast(), note, 0, row, 2, 1)
                row += 1
            }
        }

        let names = AppSettings.NameDisplay.allCases
        add(L10n.tr("Member names"), [L10n.tr("Japanese"), L10n.tr("Romaji")],
            selected: names.firstIndex { $0.rawValue == RecognitionState.shared.script.rawValue } ?? 0) { index in
            SettingsStore.shared.update { $0.nameDisplay = names[index] }
        }
        let schemes = AppSettings.ColorScheme.allCases
        add(L10n.tr("Style"), [L10n.tr("Follow System"), L10n.tr("Light"), L10n.tr("Dark")],
            selected: schemes.firstIndex(of: settings.colorScheme) ?? 0) { index in
            SettingsStore.shared.update { $0.colorScheme = schemes[index] }
        }
        let detectors = AppSettings.Detector.allCases
        let yunetHint = YuNetModelLocator.find() == nil
            ? L10n.format(L10n.tr("YuNet needs %s in %s."), YuNetModelLocator.fileName,
                          YuNetModelLocator.searchFolders.first?.path ?? "")
            : nil
        add(L10n.tr("Face detector"), [L10n.tr("Haar cascade (built in)"), "YuNet"],
            selected: detectors.firstIndex(of: settings.detector) ?? 0,
            hint: [L10n.tr("The detector changes the next time TribeLens starts."), yunetHint]
                .compactMap { $0 }.joined(separator: " ")) { index in
            SettingsStore.shared.update { $0.detector = detectors[index] }
        }
    }

    private static func dropDown(_ choices: [String]) -> Widget {
        let strings = choices.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        var array = strings.map { UnsafePointer($0) } + [nil]
        return array.withUnsafeMutableBufferPointer { gtk_drop_down_new_from_strings($0.baseAddress) }
    }
}
