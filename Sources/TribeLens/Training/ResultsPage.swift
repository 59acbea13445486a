import CGtk
import FaceKit
import Foundation

/// The panel's Results page: test accuracy (member, top-3, group), per-member precision and
/// recall, the confusion matrix, and saving the model under a name (and making it active).
@MainActor
final class ResultsPage {
    let widget: Widget
    private let model: TrainingPanelModel
    private let headline: Widget
    private let details: Widget
    private let table: Widget
    private let nameEntry: Widget
    private let activate: Widget
    private let saveButton: Widget
    private let saveStatus: Widget
    private let stale = TrainingPage.staleNote(description: "Results freshness")
    private let comparison: Widget
    private let heatMap = ConfusionHeatMapView()
    private let exportButton: Widget
    private let window: Widget
    private var shownOutcome: ModelManifest?

    init(model: TrainingPanelModel, window: Widget) {
        self.model = model
        self.window = window
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12)!
        Gtk.margins(box, 18)
        box.append(TrainingPage.heading(L10n.tr("Results")))
        box.append(stale)
        headline = Gtk.label("", classes: ["title-3"], description: "Test accuracy")
        gtk_label_set_xalign(headline.opaque, 0)
        gtk_label_set_wrap(headline.opaque, 1)
        box.append(headline)
        details = Gtk.label("", classes: ["dim-label"], description: "Run details")
        gtk_label_set_xalign(details.opaque, 0)
        gtk_label_set_wrap(details.opaque, 1)
        box.append(details)

        let saveRow = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        nameEntry = gtk_entry_new()
        gtk_widget_set_hexpand(nameEntry, 1)
        let nameRow = TrainingPage.row(L10n.tr("Model _name"), nameEntry)
        gtk_widget_set_hexpand(nameRow, 1)
        saveRow.append(nameRow)
        activate = gtk_check_button_new_with_label(L10n.tr("Use it to label photos"))
        gtk_check_button_set_active(activate.cast(), 1)
        saveRow.append(activate)
        saveButton = Gtk.button(L10n.tr("_Save Model"))
        Gtk.addClasses(saveButton, "suggested-action")
        saveRow.append(saveButton)
        box.append(saveRow)
        comparison = Gtk.label("", classes: ["dim-label"], description: "Model comparison")
        gtk_label_set_xalign(comparison.opaque, 0)
        gtk_label_set_wrap(comparison.opaque, 1)
        gtk_widget_set_visible(comparison, 0)
        box.append(comparison)
        saveStatus = Gtk.label("", classes: ["dim-label"], description: "Save status")
        gtk_label_set_xalign(saveStatus.opaque, 0)
        box.append(saveStatus)

        let columns = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 24)!
        table = gtk_grid_new()
        gtk_grid_set_column_spacing(table.cast(), 18)
        gtk_grid_set_row_spacing(table.cast(), 4)
        tl_accessible_set_label(table, L10n.tr("Per-member precision and recall"))
        gtk_widget_set_valign(table, GTK_ALIGN_START)
        columns.append(table)
        let matrix = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)!
        gtk_widget_set_hexpand(matrix, 1)
        gtk_widget_set_vexpand(heatMap.widget, 1)
        matrix.append(heatMap.widget)
        exportButton = Gtk.button(L10n.tr("E_xport Matrix…"))
        gtk_widget_set_halign(exportButton, GTK_ALIGN_END)
        matrix.append(exportButton)
        columns.append(matrix)
        box.append(columns)
        widget = TrainingPage.scrolled(box)

        Signals.connect(saveButton, "clicked") { [weak self] in self?.save() }
        Signals.connect(nameEntry, "activate") { [weak self] in self?.save() }
        Signals.connect(exportButton, "clicked") { [weak self] in self?.exportMatrix() }
        refresh()
    }

    private func save() {
        let name = String(cString: gtk_editable_get_text(nameEntry.opaque)).trimmingCharacters(in: .whitespaces)
        model.save(as: name, activate: gtk_check_button_get_active(activate.cast()) != 0)
    }

    /// The confusion matrix as a PNG (light background, 900x900).
    private func exportMatrix() {
        let map = heatMap.map
        TrainingPage.exportChart(title: L10n.tr("Export Confusion Matrix"), suggestedName: "confusion-matrix.png",
                                 parent: window, model: model) { url, done in
            ConfusionHeatMapView.exportPNG(map, to: url, completion: done)
        }
    }

    func refresh() {
        let manifest = model.outcome?.manifest
        gtk_label_set_text(stale.opaque, model.resultsStaleText ?? "")
        Gtk.setVisible(stale, model.resultsStaleText != nil && manifest != nil)
        gtk_widget_set_sensitive(saveButton, model.hasUnsavedModel && !model.isBusy ? 1 : 0)
        gtk_widget_set_sensitive(nameEntry, model.hasUnsavedModel ? 1 : 0)
        if let saved = model.savedName {
            gtk_label_set_text(saveStatus.opaque, L10n.format(L10n.tr("Saved as “%s”."), saved))
        } else {
            gtk_label_set_text(saveStatus.opaque, model.hasUnsavedModel ? L10n.tr("Not saved yet.") : "")
        }
        guard manifest != shownOutcome else { return }
        shownOutcome = manifest
        while let child = gtk_widget_get_first_child(table) { gtk_grid_remove(table.cast(), child) }
        heatMap.update(ConfusionHeatMap(matrix: [], names: []))
        gtk_widget_set_sensitive(exportButton, 0)
        guard let manifest, let run = model.outcome else {
            gtk_label_set_text(headline.opaque, L10n.tr("No results yet: train a model on the Train page."))
            gtk_label_set_text(details.opaque, "")
            return
        }
        gtk_editable_set_text(nameEntry.opaque, model.suggestedModelName())
        // Ticked only when the new model is at least as good as the active one (or none is).
        let advice = ActivationAdvice(newAccuracy: manifest.testMetrics?.accuracy, active: model.activeModelSummary())
        gtk_check_button_set_active(activate.cast(), advice.activateByDefault ? 1 : 0)
        gtk_label_set_text(comparison.opaque, advice.comparison ?? "")
        gtk_widget_set_visible(comparison, advice.comparison == nil ? 0 : 1)
        guard let report = manifest.testMetrics else {
            gtk_label_set_text(headline.opaque, L10n.tr("Trained; no test photos to measure it on."))
            return
        }
        var text = L10n.format(L10n.tr("Test accuracy %s (top-3 %s) on %d faces"), ModelSummary.percent(report.accuracy),
                               ModelSummary.percent(report.top3Accuracy), report.samples)
        if let group = report.groupAccuracyShared {
            text += " · " + L10n.format(L10n.tr("right group %s"), ModelSummary.percent(group))
        }
        gtk_label_set_text(headline.opaque, text)
        gtk_label_set_text(details.opaque, L10n.format(
            L10n.tr("%s · preset %s · %s · weights of epoch %d · chance would be %s"), manifest.backend.id, manifest.preset,
            TrainingSetupPage.stopText(run.stop, epochs: run.history.count), run.weightsEpoch,
            ModelSummary.percent(1 / Double(max(report.classes.count, 1)))))

        let directory = MemberDirectory(classes: report.classes, roster: model.analysedRoster)
        let script = RecognitionState.shared.script
        heatMap.update(ConfusionHeatMap(report: report, names: report.classes.map { directory.name(of: $0, script: script) }))
        gtk_widget_set_sensitive(exportButton, 1)
        // The first column numbers the members as the heat map does when it has no room for names.
        let headers = ["#", L10n.tr("Member"), L10n.tr("Precision"), L10n.tr("Recall"), L10n.tr("Test faces")]
        for (column, title) in headers.enumerated() {
            let label = Gtk.label(title, classes: ["heading"])
            gtk_label_set_xalign(label.opaque, column == 1 ? 0 : 1)
            gtk_grid_attach(table.cast(), label, Int32(column), 0, 1, 1)
        }
        for (row, metrics) in report.perClass.enumerated() {
            let name = directory.name(of: metrics.name, script: script)
            let cells = ["\(row + 1)", name, ModelSummary.percent(metrics.precision), ModelSummary.percent(metrics.recall), "\(metrics.support)"]
            for (column, value) in cells.enumerated() {
                let label = Gtk.label(value, classes: column == 1 ? [] : ["numeric"])
                gtk_label_set_xalign(label.opaque, column == 1 ? 0 : 1)
                if column == 0 { Gtk.addClasses(label, "dim-label") }
                if column == 1 {
                    tl_accessible_set_description(label, L10n.format(L10n.tr("%s: precision %s, recall %s, %s test faces"), name, cells[2], cells[3], cells[4]))
                }
                gtk_grid_attach(table.cast(), label, Int32(column), Int32(row + 1), 1, 1)
            }
        }
    }
}
