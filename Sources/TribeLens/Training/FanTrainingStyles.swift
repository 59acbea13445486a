import CGtk

/// Style rules of the training panel's newer parts (issue 15): stale-state notes, the roster
/// mismatch box, crops the next run leaves out, the grid's multiple selection. Kept apart from
/// TrainingStyles and CurationStyles so they move into the app's stylesheet in one piece.
@MainActor
enum FanTrainingStyles {
    private static var loaded = false

    static func load() {
        guard !loaded else { return }
        loaded = Styles.install(css)
    }

    private static let css = """
        .stale-note { background-color: alpha(@warning_color, 0.14); border-radius: 6px; padding: 6px 10px; }
        .roster-mismatch { background-color: alpha(@error_color, 0.08); border: 1px solid alpha(@error_color, 0.45);
                           border-radius: 8px; padding: 10px 12px; }
        .crop-badge.crop-decision.crop-fate { background-color: alpha(#5e5c64, 0.92); }
        flowbox.crop-grid > flowboxchild { border-radius: 8px; }
        flowbox.crop-grid > flowboxchild:selected { background-color: alpha(@theme_selected_bg_color, 0.3);
                                                    box-shadow: inset 0 0 0 3px @theme_selected_bg_color; }
        button.crop-keep { padding: 0 8px; min-height: 22px; font-size: smaller; }
        .group-chip { padding: 0 8px; }
        button.group-toggle:checked { background-color: alpha(@theme_selected_bg_color, 0.3);
                                      box-shadow: inset 0 0 0 1px @theme_selected_bg_color; }
        """
}
