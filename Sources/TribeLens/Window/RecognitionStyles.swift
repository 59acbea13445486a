import CGtk

/// Style rules of the face targets and popovers, kept apart from `Styles` (the window's).
@MainActor
enum RecognitionStyles {
    private static var loaded = false

    static func load() {
        guard !loaded else { return }
        loaded = Styles.install(css)
    }

    // The boxes are drawn by the canvas; a target only shows keyboard focus and hover.
    private static let css = """
        button.face-target { background: none; border: none; box-shadow: none; min-width: 0; min-height: 0;
                             padding: 0; outline-offset: 2px; }
        button.face-target:hover { background-color: alpha(white, 0.08); }
        button.face-target:focus-visible { outline: 3px solid white; }
        .face-popover button.candidate { padding: 4px 6px; }
        .face-popover progressbar trough, .face-popover progressbar progress { min-height: 6px; }
        """
}
