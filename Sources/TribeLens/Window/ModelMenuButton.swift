import CGtk
import FaceKit
import Foundation

/// The header-bar button that always says which model names the faces ("m4 · 87%", "No Model")
/// and opens a popover with its details (backend, test accuracy, date), the saved models to
/// switch to, the name preference, the plugins found and refused, and — with no model — how
/// to train one.
@MainActor
final class ModelMenuButton {
    let widget: Widget
    private let popover: Widget
    private let state: RecognitionState
    private var shownName = ""
    /// The button's text, a fixed number of characters wide (long names are shortened with an
    /// ellipsis; the tooltip has them whole), so switching models does not move the title.
    private let label: Widget
    static let labelWidth: Int32 = 18

    /// A model could not be activated: the one-line reason.
    var onProblem: (String) -> Void = { _ in }

    init(state: RecognitionState) {
        self.state = state
        widget = gtk_menu_button_new()
        label = gtk_label_new("")!
        gtk_label_set_width_chars(label.opaque, Self.labelWidth)
        gtk_label_set_max_width_chars(label.opaque, Self.labelWidth)
        gtk_label_set_ellipsize(label.opaque, PANGO_ELLIPSIZE_END)
        let content = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6)!
        gtk_box_append(content.cast(), label)
        gtk_box_append(content.cast(), gtk_image_new_from_icon_name("pan-down-symbolic"))
        gtk_menu_button_set_child(widget.opaque, content)
        popover = gtk_popover_new()
        gtk_menu_button_set_popover(widget.opaque, popover)
        // Rebuilt each time it opens: models may have been trained or deleted meanwhile.
        Signals.connect(popover, "show") { [weak self] in self?.rebuild() }
        state.observe { [weak self] in
            self?.refresh()
            if let self, gtk_widget_get_visible(self.popover) != 0 { self.rebuild() }
        }
        refresh()
    }

    /// The button's own text and accessible name.
    private func refresh() {
        let text: String, name: String
        switch state.status {
        case .loading(let model):
            text = L10n.tr("Loading Model…")
            name = model.map { L10n.format(L10n.tr("Model: loading %s"), $0) } ?? L10n.tr("Model: loading the active model")
        case .none:
            text = L10n.tr("No Model")
            name = L10n.tr("Model: none")
        case .ready(let info):
            text = info.summary.accuracy.map { "\(info.summary.name) · \(ModelSummary.percent($0))" } ?? info.summary.name
            name = L10n.format(L10n.tr("Model: %s"), info.summary.line)
        case .failed(let model, _):
            text = L10n.format(L10n.tr("%s (unusable)"), model)
            name = L10n.format(L10n.tr("Model: %s cannot be used"), model)
        }
        guard name != shownName else { return }
        shownName = name
        gtk_label_set_text(label.opaque, text)
        gtk_widget_set_tooltip_text(widget, name)
        tl_accessible_set_label(widget, name)
        // Assistive technology reaches the inner toggle button; name it too.
        if let inner = gtk_widget_get_first_child(widget) { tl_accessible_set_label(inner, name) }
    }

    private func rebuild() {
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 8)!
        Gtk.margins(box, 8)
        gtk_widget_set_size_request(box, 340, -1)

        append(box, heading(L10n.tr("Active Model")))
        let details: String
        var showHint = false
        switch state.status {
        case .loading(let model):
            details = model.map { L10n.format(L10n.tr("Loading %s…"), $0) } ?? L10n.tr("Loading the active model…")
        case .none: details = L10n.tr("None"); showHint = true
        case .ready(let info): details = "\(info.summary.name)\n\(info.summary.detailText)"
        case .failed(let model, let message):
            details = L10n.format(L10n.tr("%s cannot be used: %s"), model, message); showHint = true
        }
        append(box, wrapped(details, description: "Active model"))
        if showHint {
            // The sentence wraps; the commands break only between options (CommandLayout).
            let hint = wrapped(Recognizer.trainingHintLaidOut(width: Self.hintWidth), description: "How to train a model")
            gtk_label_set_wrap_mode(hint.opaque, PANGO_WRAP_WORD)
            gtk_label_set_max_width_chars(hint.opaque, Int32(Self.hintWidth))
            Gtk.addClasses(hint, "monospace", "dim-label")
            gtk_label_set_selectable(hint.opaque, 1)
            append(box, hint)
        }

        let models = state.savedModels()
        append(box, heading(L10n.tr("Saved Models")))
        if models.isEmpty {
            append(box, wrapped(L10n.format(L10n.tr("No saved models in %s."), ModelStore.standard().root.path), description: "Saved models"))
        }
        for model in models {
            let line = model.summary?.line ?? L10n.format(L10n.tr("%s (unreadable: %s)"), model.name, model.problem ?? "?")
            let button = gtk_button_new()!
            Gtk.addClasses(button, "flat")
            let row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 8)!
            let check = gtk_image_new_from_icon_name("object-select-symbolic")!
            gtk_widget_set_opacity(check, model.active ? 1 : 0)
            gtk_box_append(row.cast(), check)
            let label = Gtk.label(line)
            gtk_label_set_xalign(label.opaque, 0)
            gtk_label_set_ellipsize(label.opaque, PANGO_ELLIPSIZE_END)
            gtk_box_append(row.cast(), label)
            gtk_button_set_child(button.cast(), row)
            tl_accessible_set_label(button, L10n.format(model.active ? L10n.tr("Use model %s, active") : L10n.tr("Use model %s"), line))
            gtk_widget_set_sensitive(button, model.summary != nil ? 1 : 0)
            let name = model.name
            Signals.connect(button, "clicked") { [weak self] in
                guard let self else { return }
                do { try self.state.activate(name) } catch { self.onProblem("\(error)") }
            }
            append(box, button)
        }

        let train = Gtk.button(L10n.tr("_Train a Model…"), action: "win.train")
        tl_accessible_set_label(train, L10n.tr("Train a Model…"))
        append(box, train)

        let script = state.script
        let names = gtk_button_new_with_label(script == .japanese ? L10n.tr("Show Romaji Names") : L10n.tr("Show Japanese Names"))!
        Signals.connect(names, "clicked") { [weak self] in
            guard let self else { return }
            let next: MemberDirectory.Script = script == .japanese ? .romaji : .japanese
            self.state.script = next
            // Kept in the settings keyfile, shared with Preferences.
            self.state.settings.update { $0.nameDisplay = AppSettings.NameDisplay(rawValue: next.rawValue) ?? .romaji }
            self.rebuild()
        }
        append(box, names)

        let plugins = state.plugins
        var pluginText = plugins.backends.isEmpty ? L10n.tr("Backends: none found")
            : L10n.format(L10n.tr("Backends: %s"), plugins.backends.joined(separator: ", "))
        if !plugins.refused.isEmpty {
            pluginText += "\n" + L10n.format(L10n.tr("Not loaded (%d):"), plugins.refused.count) + "\n"
                + plugins.refused.map { "• \($0.line)" }.joined(separator: "\n")
        }
        let pluginLabel = wrapped(pluginText, description: "Plugins")
        Gtk.addClasses(pluginLabel, "dim-label", "caption")
        append(box, pluginLabel)
        if !plugins.refused.isEmpty {
            // The paths and the host's own words, for whoever wants to fix the file.
            let expander = gtk_expander_new(L10n.tr("Details"))!
            // Without it, assistive technology hears the class name "GtkExpander".
            tl_accessible_set_label(expander, L10n.tr("Details"))
            let text = wrapped(plugins.refused.map(\.details).joined(separator: "\n\n"), description: "Plugin details")
            Gtk.addClasses(text, "dim-label", "caption")
            gtk_label_set_selectable(text.opaque, 1)
            gtk_expander_set_child(expander.opaque, text)
            append(box, expander)
        }
        gtk_popover_set_child(popover.cast(), box)
    }

    /// Characters per line of the training hint (the popover is 340 pixels wide).
    private static let hintWidth = 44

    private func append(_ box: Widget, _ child: Widget) { gtk_box_append(box.cast(), child) }

    private func heading(_ text: String) -> Widget {
        let label = Gtk.label(text, classes: ["heading"])
        gtk_label_set_xalign(label.opaque, 0)
        return label
    }

    private func wrapped(_ text: String, description: String) -> Widget {
        let label = Gtk.label(text, description: description)
        gtk_label_set_wrap(label.opaque, 1)
        gtk_label_set_wrap_mode(label.opaque, PANGO_WRAP_WORD_CHAR)
        gtk_label_set_max_width_chars(label.opaque, 48)
        gtk_label_set_xalign(label.opaque, 0)
        return label
    }
}
