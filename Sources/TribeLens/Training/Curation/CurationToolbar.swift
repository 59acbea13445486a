import CGtk
import FaceKit

/// Above the crop grid: the filter (All, Flagged, Not Trained On, Rejected, Kept, each with
/// its count), the shown member's "will be trained on" summary, and the actions on many crops
/// at once (select or reject all flagged, keep or reject the selection, undo, redo). Plain
/// buttons and toggle buttons, so each has an accessible click action.
@MainActor
final class CurationToolbar {
    let widget: Widget
    private var filterButtons: [(filter: CurationFilter, button: Widget, label: Widget)] = []
    private let summary: Widget
    private let selectionLabel: Widget
    private let selectFlaggedButton: Widget
    private let rejectFlaggedButton: Widget
    private let keepSelectedButton: Widget
    private let rejectSelectedButton: Widget
    private let undoButton: Widget
    private let redoButton: Widget
    private var updating = false

    var onFilter: (CurationFilter) -> Void = { _ in }
    var onSelectFlagged: () -> Void = {}
    var onRejectFlagged: () -> Void = {}
    var onKeepSelected: () -> Void = {}
    var onRejectSelected: () -> Void = {}
    var onUndo: () -> Void = {}
    var onRedo: () -> Void = {}

    init() {
        widget = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)!
        let filters = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0)!
        Gtk.addClasses(filters, "linked")
        tl_accessible_set_label(filters, L10n.tr("Show"))
        var first: Widget?
        for filter in CurationFilter.allCases {
            let button = gtk_toggle_button_new()!
            let label = Gtk.label(ReviewText.filterTitle(filter))
            gtk_button_set_child(button.cast(), label)
            tl_accessible_set_label(button, ReviewText.filterTitle(filter))
            if let first { gtk_toggle_button_set_group(button.cast(), first.cast()) } else { first = button }
            filters.append(button)
            filterButtons.append((filter, button, label))
        }
        widget.append(filters)

        summary = Gtk.label("", classes: ["dim-label"], description: "Member summary")
        gtk_label_set_xalign(summary.opaque, 0)
        gtk_label_set_wrap(summary.opaque, 1)
        widget.append(summary)

        let actions = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        selectFlaggedButton = Gtk.button(L10n.tr("Select _Flagged"))
        gtk_widget_set_tooltip_text(selectFlaggedButton, L10n.tr("Select every flagged crop you have not decided on yet"))
        rejectFlaggedButton = Gtk.button(L10n.tr("Reject _All Flagged"))
        gtk_widget_set_tooltip_text(rejectFlaggedButton, L10n.tr("Reject every flagged crop of this member you have not decided on yet, in one step"))
        keepSelectedButton = Gtk.button(L10n.tr("_Keep Selected"))
        gtk_widget_set_tooltip_text(keepSelectedButton, L10n.tr("Train on the selected crops (K)"))
        rejectSelectedButton = Gtk.button(L10n.tr("_Reject Selected"))
        gtk_widget_set_tooltip_text(rejectSelectedButton, L10n.tr("Leave the selected crops out of training (Delete)"))
        undoButton = Gtk.button(L10n.tr("_Undo"))
        redoButton = Gtk.button(L10n.tr("Re_do"))
        selectionLabel = Gtk.label("", classes: ["dim-label"], description: "Selection")
        gtk_widget_set_hexpand(selectionLabel, 1)
        gtk_label_set_xalign(selectionLabel.opaque, 1)
        for button in [selectFlaggedButton, rejectFlaggedButton, keepSelectedButton, rejectSelectedButton] { actions.append(button) }
        actions.append(selectionLabel)
        actions.append(undoButton)
        actions.append(redoButton)
        widget.append(actions)

        for (filter, button, _) in filterButtons {
            Signals.connect(button, "toggled") { [weak self] in
                guard let self, !self.updating, gtk_toggle_button_get_active(button.cast()) != 0 else { return }
                self.onFilter(filter)
            }
        }
        Signals.connect(selectFlaggedButton, "clicked") { [weak self] in self?.onSelectFlagged() }
        Signals.connect(rejectFlaggedButton, "clicked") { [weak self] in self?.onRejectFlagged() }
        Signals.connect(keepSelectedButton, "clicked") { [weak self] in self?.onKeepSelected() }
        Signals.connect(rejectSelectedButton, "clicked") { [weak self] in self?.onRejectSelected() }
        Signals.connect(undoButton, "clicked") { [weak self] in self?.onUndo() }
        Signals.connect(redoButton, "clicked") { [weak self] in self?.onRedo() }
    }

    /// The shown member's counts and summary, the filter shown, how many tiles are selected.
    func update(member: CurationQueue.MemberQueue?, filter: CurationFilter, selected: Int) {
        updating = true
        defer { updating = false }
        for entry in filterButtons {
            let count = member.map { entry.filter.count(in: $0) } ?? 0
            gtk_label_set_text(entry.label.opaque, L10n.format(L10n.tr("%s (%d)"), ReviewText.filterTitle(entry.filter), count))
            tl_accessible_set_description(entry.button, ReviewText.filterDescription(entry.filter, count: count))
            let active: gboolean = entry.filter == filter ? 1 : 0
            if gtk_toggle_button_get_active(entry.button.cast()) != active { gtk_toggle_button_set_active(entry.button.cast(), active) }
        }
        gtk_label_set_text(summary.opaque, member.map(ReviewText.memberSummary) ?? "")
        let flagged = member?.undecidedFlaggedCrops.count ?? 0
        gtk_widget_set_sensitive(selectFlaggedButton, flagged > 0 ? 1 : 0)
        gtk_widget_set_sensitive(rejectFlaggedButton, flagged > 0 ? 1 : 0)
        tl_accessible_set_description(rejectFlaggedButton, L10n.format(L10n.plural("rejects %d crop", "rejects %d crops", flagged), flagged))
        gtk_widget_set_sensitive(keepSelectedButton, selected > 0 ? 1 : 0)
        gtk_widget_set_sensitive(rejectSelectedButton, selected > 0 ? 1 : 0)
        gtk_label_set_text(selectionLabel.opaque, ReviewText.selection(selected))
    }

    /// Undo and Redo say what they would take back or do again.
    func update(history: CurationHistory, directory: MemberDirectory, script: MemberDirectory.Script) {
        gtk_widget_set_sensitive(undoButton, history.canUndo ? 1 : 0)
        gtk_widget_set_sensitive(redoButton, history.canRedo ? 1 : 0)
        let undo = ReviewText.undo(history, directory: directory, script: script)
        let redo = ReviewText.redo(history, directory: directory, script: script)
        gtk_widget_set_tooltip_text(undoButton, undo + " (Ctrl+Z)")
        gtk_widget_set_tooltip_text(redoButton, redo + " (Shift+Ctrl+Z)")
        tl_accessible_set_description(undoButton, undo)
        tl_accessible_set_description(redoButton, redo)
    }
}
