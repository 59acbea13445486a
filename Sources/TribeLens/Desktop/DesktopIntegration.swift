import CGtk
import Foundation

/// What makes TribeLens a desktop citizen beyond its window: the app-level actions (About,
/// Preferences), the keyboard shortcuts and their help window, light/dark style, and the
/// remembered window size. The application calls `startup` once and `windowCreated` per window.
@MainActor
enum DesktopIntegration {
    private static var colorScheme: ColorSchemeFollower?

    /// Accelerators of actions defined elsewhere (`win.train` by the window; the help overlay's
    /// `win.show-help-overlay` by GtkApplicationWindow) and app actions defined here.
    static let accelerators: [(action: String, keys: [String])] = [
        ("win.train", ["<Control>t"]),
        ("win.show-help-overlay", ["<Control>question"]),
        ("app.preferences", ["<Control>comma"]),
    ]

    static func startup(_ app: UnsafeMutablePointer<GtkApplication>) {
        Stylesheet.load()  // before any window: every widget's style rules are in it
        addUninstalledIcons()
        gtk_window_set_default_icon_name(TribeLensIdentity.appID)
        colorScheme = ColorSchemeFollower()
        addAction(app, "about") { AboutDialog.present(parent: gtk_application_get_active_window(app)) }
        addAction(app, "preferences") { PreferencesWindow.present(parent: gtk_application_get_active_window(app)) }
        for (action, keys) in accelerators { setAccels(app, action, keys) }
    }

    static func windowCreated(_ window: Widget) {
        ShortcutsWindow.attach(to: window)
        WindowSizeKeeper.attach(to: window)
    }

    /// An installed app's icons are in the hicolor theme; an uninstalled build finds them in
    /// the checkout's `Resources/icons` (this file is Sources/TribeLens/Desktop/…: four levels up).
    private static func addUninstalledIcons() {
        guard let display = gdk_display_get_default() else { return }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let icons = checkout.appendingPathComponent("Resources/icons")
        let icon = icons.appendingPathComponent("hicolor/scalable/apps/\(TribeLensIdentity.appID).svg")
        let theme = gtk_icon_theme_get_for_display(display)
        if gtk_icon_theme_has_icon(theme, TribeLensIdentity.appID) == 0, FileManager.default.fileExists(atPath: icon.path) {
            gtk_icon_theme_add_search_path(theme, icons.path)
        }
    }

    private static func addAction(_ app: UnsafeMutablePointer<GtkApplication>, _ name: String,
                                  _ handler: @escaping @MainActor () -> Void) {
        let action = g_simple_action_new(name, nil)!
        Signals.connectAction(action, handler)
        g_action_map_add_action(app.opaque, action)
        g_object_unref(UnsafeMutableRawPointer(action))
    }

    private static func setAccels(_ app: UnsafeMutablePointer<GtkApplication>, _ action: String, _ accels: [String]) {
        let strings = accels.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        var array = strings.map { UnsafePointer($0) } + [nil]
        array.withUnsafeMutableBufferPointer { gtk_application_set_accels_for_action(app, action, $0.baseAddress) }
    }
}
