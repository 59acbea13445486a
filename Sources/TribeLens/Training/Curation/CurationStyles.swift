import CGtk

/// The curation grid's style rules: small dark badges that stay readable on any face, and
/// rejected tiles that look switched off in light and dark styles alike.
@MainActor
enum CurationStyles {
    private static var loaded = false

    static func load() {
        guard !loaded else { return }
        loaded = Styles.install(css)
    }

    private static let css = """
        button.crop-tile { padding: 3px; }
        .crop-badge { background-color: alpha(black, 0.68); color: white; border-radius: 4px;
                      padding: 0 4px; margin: 3px; font-size: smaller; }
        .crop-badge.crop-decision { background-color: alpha(@theme_selected_bg_color, 0.9); }
        button.crop-tile.rejected .crop-badge.crop-decision { background-color: alpha(#c01c28, 0.9); }
        """
}
