import CGtk
import Foundation

/// The keyboard shortcuts window (Ctrl+?, and Keyboard Shortcuts in the main menu), built from
/// a GtkBuilder string. Set as the window's help overlay, which gives it the
/// `win.show-help-overlay` action.
@MainActor
enum ShortcutsWindow {
    struct Shortcut {
        let accelerator: String
        let title: String
    }

    static var groups: [(title: String, shortcuts: [Shortcut])] {
        [
            (L10n.tr("Photos"), [
                Shortcut(accelerator: "<Control>o", title: L10n.tr("Open photos")),
                Shortcut(accelerator: "<Control><Shift>o", title: L10n.tr("Open a folder")),
                Shortcut(accelerator: "Left Page_Up", title: L10n.tr("Previous photo")),
                Shortcut(accelerator: "Right Page_Down", title: L10n.tr("Next photo")),
            ]),
            (L10n.tr("Training"), [
                Shortcut(accelerator: "<Control>t", title: L10n.tr("Train a model")),
            ]),
            (L10n.tr("General"), [
                Shortcut(accelerator: "<Control>comma", title: L10n.tr("Preferences")),
                Shortcut(accelerator: "<Control>question", title: L10n.tr("Keyboard shortcuts")),
                Shortcut(accelerator: "F10", title: L10n.tr("Main menu")),
                Shortcut(accelerator: "<Control>w", title: L10n.tr("Close the window")),
                Shortcut(accelerator: "<Control>q", title: L10n.tr("Quit")),
            ]),
        ]
    }

    /// The builder XML; texts are already translated (and escaped) here rather than through
    /// `translatable="yes"`, so xgettext finds them in the Swift source like every other string.
    static var builderXML: String {
        // Plain string pieces, no multi-line literal: xgettext reads this file as C.
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<interface>\n"
            + "  <object class=\"GtkShortcutsWindow\" id=\"help_overlay\">\n"
            + "    <property name=\"modal\">1</property>\n"
            + "    <child><object class=\"GtkShortcutsSection\">\n"
            + "      <property name=\"section-name\">shortcuts</property>\n"
            + "      <property name=\"max-height\">12</property>\n"
        for group in groups {
            xml += "      <child><object class=\"GtkShortcutsGroup\"><property name=\"title\">\(escape(group.title))</property>\n"
            for shortcut in group.shortcuts {
                xml += "        <child><object class=\"GtkShortcutsShortcut\">"
                    + "<property name=\"title\">\(escape(shortcut.title))</property>"
                    + "<property name=\"accelerator\">\(escape(shortcut.accelerator))</property>"
                    + "</object></child>\n"
            }
            xml += "      </object></child>\n"
        }
        return xml + "    </object></child>\n  </object>\n</interface>\n"
    }

    static func attach(to window: Widget) {
        let builder = gtk_builder_new_from_string(builderXML, -1)!
        if let overlay = gtk_builder_get_object(builder, "help_overlay") {
            gtk_application_window_set_help_overlay(window.cast(), OpaquePointer(overlay))
        }
        g_object_unref(UnsafeMutableRawPointer(builder))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
