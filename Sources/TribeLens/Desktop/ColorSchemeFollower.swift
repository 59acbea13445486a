import CGtk
import FaceKit
import Foundation

/// Light or dark: follows the desktop's preference live, unless the user chose one in
/// Preferences. GTK 4.8 (without libadwaita) does not read the desktop's color scheme itself,
/// so we read GNOME's `org.gnome.desktop.interface color-scheme` through GSettings (when the
/// schema is installed), else the XDG desktop portal over D-Bus (`PortalColorScheme`), and set
/// `gtk-application-prefer-dark-theme`.
///
/// `TRIBELENS_COLOR_SCHEME=light|dark` overrides both (screenshots, tests).
@MainActor
final class ColorSchemeFollower {
    enum Origin: String { case environment, preference, gnome, portal, fallback }

    private var interfaceSettings: UnsafeMutablePointer<GSettings>?  // nil without the schema
    private var portal: PortalColorScheme?  // only without the schema
    private(set) var isDark = false
    private(set) var origin = Origin.fallback

    init() {
        if let source = g_settings_schema_source_get_default(),
           let schema = g_settings_schema_source_lookup(source, "org.gnome.desktop.interface", 1) {
            // color-scheme exists from GNOME 42 on; older schemas lack it.
            if g_settings_schema_has_key(schema, "color-scheme") != 0 {
                interfaceSettings = g_settings_new("org.gnome.desktop.interface")
            }
            g_settings_schema_unref(schema)
        }
        if let interfaceSettings {
            Signals.connectNotify(UnsafeMutableRawPointer(interfaceSettings), "changed::color-scheme") { [weak self] in
                self?.apply()
            }
        } else {
            portal = PortalColorScheme { [weak self] in self?.apply() }
        }
        SettingsStore.shared.observe { [weak self] _ in self?.apply() }
        apply()
    }

    /// Decides and sets the style.
    func apply() {
        let (dark, origin) = decide()
        self.origin = origin
        isDark = dark
        if (tl_settings_get_prefer_dark() != 0) != dark { tl_settings_set_prefer_dark(dark ? 1 : 0) }
    }

    private func decide() -> (Bool, Origin) {
        switch ProcessInfo.processInfo.environment["TRIBELENS_COLOR_SCHEME"]?.lowercased() {
        case "dark": return (true, .environment)
        case "light": return (false, .environment)
        default: break
        }
        switch SettingsStore.shared.settings.colorScheme {
        case .dark: return (true, .preference)
        case .light: return (false, .preference)
        case .system: break
        }
        if let interfaceSettings, let value = g_settings_get_string(interfaceSettings, "color-scheme") {
            defer { g_free(value) }
            return (String(cString: value) == "prefer-dark", .gnome)
        }
        if let dark = portal?.prefersDark { return (dark, .portal) }
        return (false, .fallback)
    }
}
