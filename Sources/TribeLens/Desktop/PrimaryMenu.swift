import CGtk

/// The header bar's main menu (the "hamburger"): Train a Model, Preferences, Keyboard Shortcuts, About.
@MainActor
enum PrimaryMenu {
    static func make() -> Widget {
        let menu = g_menu_new()!
        let section = g_menu_new()!
        g_menu_append(section, L10n.tr("_Train a Model…"), "win.train")
        g_menu_append(section, L10n.tr("_Preferences"), "app.preferences")
        g_menu_append(section, L10n.tr("_Keyboard Shortcuts"), "win.show-help-overlay")
        g_menu_append(section, L10n.tr("_About TribeLens"), "app.about")
        g_menu_append_section(menu, nil, UnsafeMutablePointer<GMenuModel>(section))
        g_object_unref(UnsafeMutableRawPointer(section))

        let button = gtk_menu_button_new()!
        gtk_menu_button_set_icon_name(button.opaque, "open-menu-symbolic")
        gtk_menu_button_set_menu_model(button.opaque, UnsafeMutablePointer<GMenuModel>(menu))
        gtk_menu_button_set_primary(button.opaque, 1)  // F10 opens it
        gtk_widget_set_tooltip_text(button, L10n.tr("Main Menu"))
        tl_accessible_set_label(button, L10n.tr("Main Menu"))
        g_object_unref(UnsafeMutableRawPointer(menu))
        return button
    }
}
