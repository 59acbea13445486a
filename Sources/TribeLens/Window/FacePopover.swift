import CGtk
import FaceKit

/// The popover of one face: the model's top-3 candidates with bars (click one: "this is …"),
/// every other member under "Someone Else…", and "Not a Face" / "Not This Member". Built afresh
/// each time it opens; it only reports the choice (`onCorrect`), the window stores it.
@MainActor
final class FacePopover {
    let widget: Widget
    private var content: Widget?

    /// The user's choice; nil means "forget my label".
    var onCorrect: (Int, FaceCorrection?) -> Void = { _, _ in }

    /// `parent` holds the popover for its lifetime (the face layer).
    init(parent: Widget) {
        widget = gtk_popover_new()
        gtk_widget_set_parent(widget, parent)
        Gtk.addClasses(widget, "face-popover")
        Signals.connect(parent, "destroy") { [widget] in gtk_widget_unparent(widget) }
    }

    /// Opens for face `index`, pointing at `rectangle` (in the parent's coordinates).
    func present(index: Int, rectangle: GdkRectangle, label: FaceLabel?, correction: FaceCorrection?,
                 model: LoadedModelInfo?, script: MemberDirectory.Script) {
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)!
        Gtk.margins(box, 6)
        let annotation = FaceAnnotation(index: index, label: label, correction: correction,
                                        directory: model?.directory, script: script)
        let heading = Gtk.label(FaceAnnotation.faceName(index, annotation.title),
                                classes: ["heading"], description: "Face heading")
        gtk_label_set_xalign(heading.opaque, 0)
        gtk_box_append(box.cast(), heading)
        // Models that can say "unknown" show why: the face's resemblance to the closest member.
        if let similarity = label?.similarity, let threshold = model?.unknownBelow {
            let text = L10n.format(L10n.tr("Similarity to the closest member: %s (unknown below %s)"),
                                   String(format: "%.2f", similarity), String(format: "%.2f", threshold))
            let line = Gtk.label(text, classes: ["dim-label", "caption"], description: "Similarity")
            gtk_label_set_xalign(line.opaque, 0)
            gtk_box_append(box.cast(), line)
        }

        if let label, let model, !label.top.isEmpty {
            let caption = Gtk.label(L10n.tr("Best matches — click to confirm"), classes: ["dim-label", "caption"])
            gtk_label_set_xalign(caption.opaque, 0)
            gtk_box_append(box.cast(), caption)
            for (rank, candidate) in FaceAnnotation.candidates(label, directory: model.directory, script: script).enumerated() {
                gtk_box_append(box.cast(), candidateRow(rank: rank, name: candidate.name, probability: candidate.probability) {
                    [weak self] in self?.choose(index, .member(candidate.id))
                })
            }
            gtk_box_append(box.cast(), someoneElse(index: index, model: model, script: script, except: Set(label.top.map(\.member))))
        } else if model == nil {
            let note = Gtk.label(L10n.tr("No model is active, so faces have no names yet."), classes: ["dim-label"])
            gtk_label_set_wrap(note.opaque, 1)
            gtk_label_set_max_width_chars(note.opaque, 32)
            gtk_box_append(box.cast(), note)
        }

        gtk_box_append(box.cast(), gtk_separator_new(GTK_ORIENTATION_HORIZONTAL))
        let corrections = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        gtk_box_set_homogeneous(corrections.cast(), 1)
        gtk_box_append(corrections.cast(), actionButton(L10n.tr("Not a Face"), tooltip: L10n.tr("Leave this box out of training")) {
            [weak self] in self?.choose(index, .notAFace)
        })
        gtk_box_append(corrections.cast(), actionButton(L10n.tr("Not in the Roster"),
                                                        tooltip: L10n.tr("A face of someone who is not a member: kept out of training and saved as a stranger")) {
            [weak self] in self?.choose(index, .stranger)
        })
        if let member = correctedMember(correction) ?? label?.member {
            let name = model?.directory.name(of: member, script: script) ?? member
            gtk_box_append(corrections.cast(), actionButton(L10n.tr("Not This Member"), tooltip: L10n.format(L10n.tr("This is not %s"), name)) {
                [weak self] in self?.choose(index, .notThisMember(member))
            })
        }
        gtk_box_append(box.cast(), corrections)
        if correction != nil {
            gtk_box_append(box.cast(), actionButton(L10n.tr("Forget My Label"), tooltip: L10n.tr("Remove your correction of this face")) {
                [weak self] in self?.choose(index, nil)
            })
        }

        content = box
        gtk_popover_set_child(widget.cast(), box)
        var rect = rectangle
        gtk_popover_set_pointing_to(widget.cast(), &rect)
        gtk_popover_set_position(widget.cast(), GTK_POS_RIGHT)
        gtk_popover_popup(widget.cast())
    }

    private func correctedMember(_ correction: FaceCorrection?) -> String? {
        if case .member(let id)? = correction { return id }
        return nil
    }

    private func choose(_ index: Int, _ correction: FaceCorrection?) {
        gtk_popover_popdown(widget.cast())
        onCorrect(index, correction)
    }

    /// "TAKAHIRO ........ 87%" over a bar; the whole row is a button.
    private func candidateRow(rank: Int, name: String, probability: Double,
                              onClick: @escaping @MainActor () -> Void) -> Widget {
        let button = gtk_button_new()!
        Gtk.addClasses(button, "flat", "candidate")
        let column = gtk_box_new(GTK_ORIENTATION_VERTICAL, 3)!
        let line = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        let nameLabel = Gtk.label(name)
        gtk_label_set_xalign(nameLabel.opaque, 0)
        gtk_widget_set_hexpand(nameLabel, 1)
        gtk_box_append(line.cast(), nameLabel)
        gtk_box_append(line.cast(), Gtk.label(ModelSummary.percent(probability), classes: ["numeric", "dim-label"]))
        gtk_box_append(column.cast(), line)
        let bar = gtk_progress_bar_new()!
        gtk_progress_bar_set_fraction(bar.opaque, min(max(probability, 0), 1))
        gtk_widget_set_size_request(bar, 220, -1)
        tl_accessible_set_label(bar, "\(name) \(ModelSummary.percent(probability))")
        gtk_box_append(column.cast(), bar)
        gtk_button_set_child(button.cast(), column)
        let accessible = L10n.format(L10n.tr("Candidate %d: %s, %s"), rank + 1, name, ModelSummary.percent(probability))
        tl_accessible_set_label(button, accessible)
        gtk_widget_set_tooltip_text(button, L10n.format(L10n.tr("This is %s"), name))
        Signals.connect(button, "clicked", onClick)
        return button
    }

    /// Every other member of the model, behind a button so the popover stays small, with a
    /// search entry over the list: typing filters it (`MemberSearch`), Enter picks the first
    /// match, Down or Tab moves into the list, whose buttons Return picks.
    private func someoneElse(index: Int, model: LoadedModelInfo, script: MemberDirectory.Script, except: Set<String>) -> Widget {
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        let revealer = gtk_revealer_new()!
        let search = MemberSearch(directory: model.directory, script: script, except: except)
        let entry = gtk_search_entry_new()!
        let toggle = actionButton(L10n.tr("Someone Else…"), tooltip: L10n.tr("Pick the right member from the whole roster")) {
            let open = gtk_revealer_get_reveal_child(revealer.opaque) == 0
            gtk_revealer_set_reveal_child(revealer.opaque, open ? 1 : 0)
            if open { gtk_widget_grab_focus(entry) }
        }
        Gtk.addClasses(toggle, "flat")
        let column = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)!
        gtk_widget_set_margin_top(column, 6)
        tl_accessible_set_label(entry, L10n.tr("Find a member"))
        gtk_box_append(column.cast(), entry)
        let list = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        let buttons = search.members.map { member -> (id: String, widget: Widget) in
            let thisIs = L10n.format(L10n.tr("This is %s"), member.name)
            let button = actionButton(member.name, tooltip: thisIs) { [weak self] in
                self?.choose(index, .member(member.id))
            }
            Gtk.addClasses(button, "flat")
            gtk_widget_set_halign(gtk_button_get_child(button.cast()), GTK_ALIGN_START)
            tl_accessible_set_label(button, thisIs)
            gtk_box_append(list.cast(), button)
            return (member.id, button)
        }
        let none = Gtk.label(L10n.tr("No member has that name"), classes: ["dim-label"], description: "Member search result")
        Gtk.setVisible(none, false)
        gtk_box_append(list.cast(), none)
        let matching: @MainActor () -> [(id: String, widget: Widget)] = {
            let text = String(cString: gtk_editable_get_text(entry.opaque))
            let ids = Set(search.matches(text).map(\.id))
            return buttons.filter { ids.contains($0.id) }
        }
        Signals.connect(entry, "search-changed") {
            let shown = Set(matching().map(\.id))
            for button in buttons { Gtk.setVisible(button.widget, shown.contains(button.id)) }
            Gtk.setVisible(none, shown.isEmpty)
        }
        // Enter: the first member that matches.
        Signals.connect(entry, "activate") { [weak self] in
            guard let first = matching().first else { return }
            self?.choose(index, .member(first.id))
        }
        // Down: into the list, on the first match.
        GestureSignals.connectKey(entry) { key, _ in
            guard key == UInt32(GDK_KEY_Down), let first = matching().first else { return false }
            gtk_widget_grab_focus(first.widget)
            return true
        }
        let scroller = gtk_scrolled_window_new()!
        gtk_scrolled_window_set_policy(scroller.opaque, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC)
        gtk_scrolled_window_set_max_content_height(scroller.opaque, 220)
        gtk_scrolled_window_set_propagate_natural_height(scroller.opaque, 1)
        gtk_scrolled_window_set_child(scroller.opaque, list)
        gtk_box_append(column.cast(), scroller)
        gtk_revealer_set_child(revealer.opaque, column)
        gtk_box_append(box.cast(), toggle)
        gtk_box_append(box.cast(), revealer)
        return box
    }

    private func actionButton(_ text: String, tooltip: String, onClick: @escaping @MainActor () -> Void) -> Widget {
        let button = gtk_button_new_with_label(text)!
        gtk_widget_set_tooltip_text(button, tooltip)
        Signals.connect(button, "clicked", onClick)
        return button
    }
}
