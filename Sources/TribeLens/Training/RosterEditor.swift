import CGtk
import FaceKit
import Foundation

/// "Make a Roster from the Folder Names": a small window listing one member per photo folder
/// (named after it), where the user names the roster, adds groups and ticks each member's
/// groups; Save writes `$XDG_DATA_HOME/tribelens/rosters/<id>.json` (FaceKit's `RosterDraft`
/// and `UserRosters`: checked by the roster loader, saved atomically, never over another
/// roster), after which the panel selects it and finds the faces. Toggle buttons rather than
/// check buttons: GTK 4.8 gives the latter no accessible action.
@MainActor
final class RosterEditor {
    private let window: Widget
    private var draft: RosterDraft
    private let storage: DatasetStorage
    private let nameEntry: Widget
    private let groupEntry: Widget
    private let groupsBox: Widget
    private let membersBox: Widget
    private let problem: Widget
    private let onSaved: @MainActor (URL, Roster) -> Void
    /// The open editor (one at a time), kept alive until its window goes.
    private static var open: RosterEditor?

    /// Opens the editor for `folders` (the photo root's sub-folders); `onSaved` gets the new
    /// file and roster.
    static func present(parent: Widget, folders: [String], suggestedName: String, storage: DatasetStorage,
                        onSaved: @escaping @MainActor (URL, Roster) -> Void) {
        if let open { gtk_window_destroy(open.window.cast()) }
        let editor = RosterEditor(parent: parent, folders: folders, suggestedName: suggestedName, storage: storage, onSaved: onSaved)
        open = editor
        Signals.connect(editor.window, "destroy") { if open === editor { open = nil } }
        gtk_window_present(editor.window.cast())
        _ = gtk_widget_grab_focus(editor.nameEntry)
    }

    private init(parent: Widget, folders: [String], suggestedName: String, storage: DatasetStorage,
                 onSaved: @escaping @MainActor (URL, Roster) -> Void) {
        draft = RosterDraft(name: suggestedName, folders: folders)
        self.storage = storage
        self.onSaved = onSaved
        window = gtk_window_new()
        gtk_window_set_transient_for(window.cast(), parent.cast())
        gtk_window_set_modal(window.cast(), 1)
        gtk_window_set_title(window.cast(), L10n.tr("Make a Roster from the Folder Names"))
        gtk_window_set_default_size(window.cast(), 680, 720)

        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 10)!
        Gtk.margins(box, 18)
        box.append(TrainingPage.heading(L10n.tr("Make a Roster from the Folder Names")))
        let folder = storage.rostersDirectory.path.replacingOccurrences(of: NSHomeDirectory(), with: "~")
        box.append(TrainingPage.explanation(L10n.format(L10n.tr(
            "Each folder becomes a member, named after it. Add the groups they belong to, then pick each member's groups (any number, or none). The roster is saved in %s and can be chosen next time."), folder)))

        nameEntry = gtk_entry_new()
        gtk_editable_set_text(nameEntry.opaque, suggestedName)
        gtk_widget_set_hexpand(nameEntry, 1)
        box.append(TrainingPage.row(L10n.tr("Roster _name"), nameEntry))

        box.append(TrainingPage.subheading(L10n.tr("Groups")))
        let addRow = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        groupEntry = gtk_entry_new()
        gtk_widget_set_hexpand(groupEntry, 1)
        gtk_entry_set_placeholder_text(groupEntry.cast(), L10n.tr("Group name, e.g. EXILE"))
        tl_accessible_set_label(groupEntry, L10n.tr("New group name"))
        addRow.append(groupEntry)
        let addButton = Gtk.button(L10n.tr("_Add Group"))
        addRow.append(addButton)
        box.append(addRow)
        groupsBox = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        tl_accessible_set_label(groupsBox, L10n.tr("Groups"))
        box.append(groupsBox)

        box.append(TrainingPage.subheading(L10n.format(L10n.plural("%d member", "%d members", draft.members.count), draft.members.count)))
        membersBox = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4)!
        tl_accessible_set_label(membersBox, L10n.tr("Members"))
        let scroller = TrainingPage.scrolled(membersBox)
        Gtk.addClasses(scroller, "frame")
        box.append(scroller)
        if !draft.leftOut.isEmpty {
            box.append(TrainingPage.explanation(L10n.format(L10n.tr("Left out (their names cannot name a member): %s"),
                                                            draft.leftOut.joined(separator: L10n.tr(", ")))))
        }

        problem = Gtk.label("", classes: ["error"], description: "Roster problem")
        gtk_label_set_wrap(problem.opaque, 1)
        gtk_label_set_xalign(problem.opaque, 0)
        Gtk.setVisible(problem, false)
        box.append(problem)

        let buttons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        gtk_widget_set_halign(buttons, GTK_ALIGN_END)
        let cancel = Gtk.button(L10n.tr("_Cancel"))
        let save = Gtk.button(L10n.tr("_Save and Find Faces"), classes: ["suggested-action"])
        gtk_widget_set_sensitive(save, draft.members.isEmpty ? 0 : 1)
        buttons.append(cancel)
        buttons.append(save)
        box.append(buttons)
        gtk_window_set_child(window.cast(), box)

        // Escape closes, as in a dialog (GtkWindow's own "window.close" action).
        let keys: OpaquePointer = gtk_shortcut_controller_new()
        if let escape = gtk_shortcut_trigger_parse_string("Escape") {
            gtk_shortcut_controller_add_shortcut(keys, gtk_shortcut_new(escape, gtk_named_action_new("window.close")))
        }
        gtk_widget_add_controller(window, keys)

        Signals.connect(addButton, "clicked") { [weak self] in self?.addGroup() }
        Signals.connect(groupEntry, "activate") { [weak self] in self?.addGroup() }
        Signals.connect(cancel, "clicked") { [weak self] in self.map { gtk_window_destroy($0.window.cast()) } }
        Signals.connect(save, "clicked") { [weak self] in self?.save() }
        rebuild()
    }

    private func addGroup() {
        let text = String(cString: gtk_editable_get_text(groupEntry.opaque))
        guard draft.addGroup(named: text) != nil else {
            show(problem: text.trimmingCharacters(in: .whitespaces).isEmpty ? nil
                 : L10n.format(L10n.tr("There is a group “%s” already."), text.trimmingCharacters(in: .whitespaces)))
            return
        }
        show(problem: nil)
        gtk_editable_set_text(groupEntry.opaque, "")
        rebuild()
        _ = gtk_widget_grab_focus(groupEntry)  // the next group can be typed at once
    }

    /// The groups (each with its remove button) and, per member, one toggle per group.
    private func rebuild() {
        while let child = gtk_widget_get_first_child(groupsBox) { gtk_box_remove(groupsBox.cast(), child) }
        if draft.groups.isEmpty {
            groupsBox.append(Gtk.label(L10n.tr("No groups yet: members can be without one."), classes: ["dim-label"]))
        }
        for group in draft.groups {
            let chip = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 2)!
            Gtk.addClasses(chip, "linked")
            let name = Gtk.label(group.name, classes: ["group-chip"])
            chip.append(name)
            let remove = Gtk.iconButton("window-close-symbolic", name: L10n.format(L10n.tr("Remove Group %s"), group.name))
            Signals.connect(remove, "clicked") { [weak self] in
                self?.draft.removeGroup(group.id)
                self?.rebuild()
            }
            chip.append(remove)
            groupsBox.append(chip)
        }
        while let child = gtk_widget_get_first_child(membersBox) { gtk_box_remove(membersBox.cast(), child) }
        for member in draft.members {
            let row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
            Gtk.margins(row, 4)
            let name = Gtk.label(member.name)
            gtk_label_set_xalign(name.opaque, 0)
            gtk_widget_set_hexpand(name, 1)
            gtk_label_set_ellipsize(name.opaque, PANGO_ELLIPSIZE_END)
            if member.folders != [member.name] {
                gtk_widget_set_tooltip_text(name, L10n.format(L10n.tr("Folders: %s"), member.folders.joined(separator: L10n.tr(", "))))
            }
            row.append(name)
            for group in draft.groups {
                let toggle = gtk_toggle_button_new_with_label(group.name)!
                Gtk.addClasses(toggle, "group-toggle")
                tl_accessible_set_label(toggle, L10n.format(L10n.tr("%s in %s"), member.name, group.name))
                gtk_toggle_button_set_active(toggle.cast(), draft.isMember(member.id, inGroup: group.id) ? 1 : 0)
                Signals.connect(toggle, "toggled") { [weak self] in
                    self?.draft.set(member: member.id, inGroup: group.id, gtk_toggle_button_get_active(toggle.cast()) != 0)
                }
                row.append(toggle)
            }
            membersBox.append(row)
        }
    }

    private func save() {
        draft.name = String(cString: gtk_editable_get_text(nameEntry.opaque)).trimmingCharacters(in: .whitespacesAndNewlines)
        if draft.name.isEmpty { draft.name = L10n.tr("My roster") }
        do {
            let roster = try draft.roster(id: UserRosters.freeID(for: draft.name, storage: storage))
            let file = try UserRosters.save(roster, storage: storage)
            gtk_window_destroy(window.cast())
            onSaved(file, roster)
        } catch {
            show(problem: L10n.format(L10n.tr("Could not save the roster: %s"), "\(error)"))
        }
    }

    private func show(problem text: String?) {
        gtk_label_set_text(problem.opaque, text ?? "")
        Gtk.setVisible(problem, text != nil)
    }
}
