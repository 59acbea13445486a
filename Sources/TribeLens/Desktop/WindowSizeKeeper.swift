import CGtk

/// Restores a new window to the size (and maximized state) the last closed one had, and saves
/// them when a window closes.
@MainActor
enum WindowSizeKeeper {
    static func attach(to window: Widget) {
        let settings = SettingsStore.shared.settings
        gtk_window_set_default_size(window.cast(), Int32(settings.windowWidth), Int32(settings.windowHeight))
        if settings.windowMaximized { gtk_window_maximize(window.cast()) }
        Signals.connectBool(window, "close-request") {
            var width: Int32 = 0, height: Int32 = 0
            // GTK 4 keeps the default size up to date while the user resizes (the unmaximized size).
            gtk_window_get_default_size(window.cast(), &width, &height)
            let maximized = gtk_window_is_maximized(window.cast()) != 0
            SettingsStore.shared.update { settings in
                if width > 0, height > 0 {
                    settings.windowWidth = Int(width)
                    settings.windowHeight = Int(height)
                }
                settings.windowMaximized = maximized
            }
            return false  // let it close
        }
    }
}
