import CGtk

/// The training panel's style rules: a choice row shows it is picked with the theme's selection
/// colour and a check mark edge, in light and dark styles alike.
@MainActor
enum TrainingStyles {
    private static var loaded = false

    static func load() {
        guard !loaded else { return }
        loaded = Styles.install(css)
    }

    private static let css = """
        button.choice { padding: 6px 10px; }
        button.choice:checked { background-color: alpha(@theme_selected_bg_color, 0.18);
                                box-shadow: inset 3px 0 @theme_selected_bg_color; }
        """
}
