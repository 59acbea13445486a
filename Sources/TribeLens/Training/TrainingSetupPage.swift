import CGtk
import FaceKit
import Foundation

/// The panel's Train page: backend (with the plugins that were refused and why), weights for
/// VGG16, preset, epochs, batch size, learning rate, seed, augmentation; Start / Cancel, the
/// progress bar and the live curves.
@MainActor
final class TrainingSetupPage {
    let widget: Widget
    private let model: TrainingPanelModel
    private let backendList = ChoiceList(accessibleName: L10n.tr("Backend"))
    private let refusedLabel: Widget
    private let weightsRow: WeightsRow
    private let faceModelsRow: WeightsRow
    private let presetList = ChoiceList(accessibleName: L10n.tr("Preset"))
    private let epochs: Widget, batchSize: Widget, learningRate: Widget, seed: Widget
    private let augment: Widget
    private let startButton: Widget
    private let cancelButton: Widget
    private let progressBar: Widget
    private let status: Widget
    private let settings: [Widget]
    private var updating = false
    private let curves = TrainingCurvesView()
    private let exportButton: Widget
    private let window: Widget

    private static let presets: [TrainingPreset] = [.recommended, .original]

    init(model: TrainingPanelModel, window: Widget) {
        self.model = model
        self.window = window
        weightsRow = WeightsRow(worker: model.worker, files: .imageNet)
        faceModelsRow = WeightsRow(worker: model.worker, files: .faceModels)
        faceModelsRow.parent = window
        weightsRow.parent = window
        let columns = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 24)!
        Gtk.margins(columns, 18)

        let left = gtk_box_new(GTK_ORIENTATION_VERTICAL, 10)!
        gtk_widget_set_size_request(left, 360, -1)
        left.append(TrainingPage.heading(L10n.tr("Train")))
        left.append(TrainingPage.subheading(L10n.tr("Backend")))
        left.append(backendList.widget)
        refusedLabel = Gtk.label("", classes: ["dim-label", "caption"], description: "Plugins not loaded")
        gtk_label_set_wrap(refusedLabel.opaque, 1)
        gtk_label_set_xalign(refusedLabel.opaque, 0)
        left.append(refusedLabel)
        left.append(weightsRow.widget)
        left.append(faceModelsRow.widget)

        left.append(TrainingPage.subheading(L10n.tr("Preset")))
        left.append(presetList.widget)

        left.append(TrainingPage.subheading(L10n.tr("Settings")))
        epochs = gtk_spin_button_new_with_range(1, 500, 1)
        batchSize = gtk_spin_button_new_with_range(1, 1024, 1)
        learningRate = gtk_spin_button_new_with_range(0.000001, 1, 0.0001)
        gtk_spin_button_set_digits(learningRate.opaque, 6)
        seed = gtk_spin_button_new_with_range(0, 2_147_483_647, 1)
        augment = gtk_switch_new()
        gtk_widget_set_valign(augment, GTK_ALIGN_CENTER)
        left.append(TrainingPage.row(L10n.tr("_Epochs (at most)"), epochs))
        left.append(TrainingPage.row(L10n.tr("_Batch size"), batchSize))
        left.append(TrainingPage.row(L10n.tr("_Learning rate"), learningRate))
        left.append(TrainingPage.row(L10n.tr("_Seed"), seed))
        left.append(TrainingPage.row(L10n.tr("_Augment training faces 9×"), augment))
        settings = [epochs, batchSize, learningRate, seed, augment]

        let right = gtk_box_new(GTK_ORIENTATION_VERTICAL, 10)!
        gtk_widget_set_hexpand(right, 1)
        let buttons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        startButton = Gtk.button(L10n.tr("_Start Training"))
        Gtk.addClasses(startButton, "suggested-action")
        cancelButton = Gtk.button(L10n.tr("_Cancel Training"))
        Gtk.addClasses(cancelButton, "destructive-action")
        buttons.append(startButton)
        buttons.append(cancelButton)
        progressBar = gtk_progress_bar_new()
        gtk_progress_bar_set_show_text(progressBar.opaque, 1)
        gtk_widget_set_hexpand(progressBar, 1)
        gtk_widget_set_valign(progressBar, GTK_ALIGN_CENTER)
        tl_accessible_set_description(progressBar, "Training progress")
        buttons.append(progressBar)
        right.append(buttons)
        status = Gtk.label("", classes: ["dim-label"], description: "Training status")
        gtk_label_set_wrap(status.opaque, 1)
        gtk_label_set_xalign(status.opaque, 0)
        right.append(status)
        gtk_widget_set_vexpand(curves.widget, 1)
        right.append(curves.widget)
        exportButton = Gtk.button(L10n.tr("E_xport Curves…"))
        gtk_widget_set_halign(exportButton, GTK_ALIGN_END)
        right.append(exportButton)

        columns.append(TrainingPage.scrolled(left))
        columns.append(right)
        widget = columns

        backendList.onSelect = { [weak self] index in
            guard let self, self.model.backends.indices.contains(index) else { return }
            self.model.selectBackend(self.model.backends[index].id)
        }
        presetList.onSelect = { [weak self] index in
            guard let self else { return }
            self.model.preset = Self.presets[index]
            self.model.onChange()
        }
        for spin in [epochs, batchSize, learningRate, seed] {
            Signals.connect(spin, "value-changed") { [weak self] in self?.readSettings() }
        }
        Signals.connectNotify(augment, "notify::active") { [weak self] in self?.readSettings() }
        Signals.connect(startButton, "clicked") { [weak self] in self?.model.start() }
        Signals.connect(cancelButton, "clicked") { [weak self] in self?.model.cancel() }
        Signals.connect(exportButton, "clicked") { [weak self] in self?.exportCurves() }
        for row in [weightsRow, faceModelsRow] {
            row.onChange = { [weak self] in
                guard let self else { return }
                self.model.faceModelsInstalled = self.faceModelsRow.isComplete
                self.refresh()
            }
            row.onMessage = { [weak self] message in self?.model.onMessage(message) }
        }
        refresh()
    }

    private func readSettings() {
        guard !updating else { return }
        model.options.epochs = Int(gtk_spin_button_get_value_as_int(epochs.opaque))
        model.options.batchSize = Int(gtk_spin_button_get_value_as_int(batchSize.opaque))
        model.options.learningRate = gtk_spin_button_get_value(learningRate.opaque)
        model.options.seed = UInt64(gtk_spin_button_get_value_as_int(seed.opaque))
        model.options.augment = gtk_switch_get_active(augment.opaque) != 0
        model.onChange()
    }

    func refresh() {
        updating = true
        defer { updating = false }
        let backends = model.backends
        backendList.update(backends.map { ChoiceList.Choice(title: "\($0.displayName) (\($0.id))", detail: $0.description) },
                           selected: backends.firstIndex { $0.id == model.backendID })
        if let catalog = model.catalog {
            // As the model menu says it: the user's own plugin files, in a user's words.
            let refused = RefusedPlugin.shown(catalog.refused, searched: catalog.searched).map { "• \($0.line)" }
            gtk_label_set_text(refusedLabel.opaque, refused.isEmpty ? ""
                               : L10n.tr("Not loaded:") + "\n" + refused.joined(separator: "\n"))
            Gtk.setVisible(refusedLabel, !refused.isEmpty)
            if backends.isEmpty { gtk_label_set_text(refusedLabel.opaque, L10n.tr("No backend plugins were found.") + "\n" + refused.joined(separator: "\n")) }
        } else {
            gtk_label_set_text(refusedLabel.opaque, L10n.tr("Looking for backend plugins…"))
        }
        Gtk.setVisible(weightsRow.widget, model.selectedBackend.map(TrainingPlan.usesPretrainedWeights) ?? false)
        Gtk.setVisible(faceModelsRow.widget, model.selectedBackend.map(BackendResources.usesSFace) ?? false)
        presetList.update([
            .init(title: L10n.tr("Recommended"),
                  detail: L10n.tr("Input scaled to 0–1, validation photos set apart from training, the best epoch kept.")),
            .init(title: L10n.tr("Original (the write-up)"),
                  detail: L10n.tr("Raw 0–255 input, the test photos as validation data, the last epoch kept; the write-up's face detector settings.")),
        ], selected: Self.presets.firstIndex(of: model.preset))

        setSpin(epochs, Double(model.options.epochs ?? 50))
        setSpin(batchSize, Double(model.options.batchSize ?? 32))
        setSpin(learningRate, model.options.learningRate ?? 0.01)
        setSpin(seed, Double(model.options.seed))
        if (gtk_switch_get_active(augment.opaque) != 0) != model.options.augment {
            gtk_switch_set_active(augment.opaque, model.options.augment ? 1 : 0)
        }

        curves.update(model.curves)
        gtk_widget_set_sensitive(exportButton, model.curves.history.isEmpty ? 0 : 1)

        let training = model.isTraining
        for control in settings { gtk_widget_set_sensitive(control, training ? 0 : 1) }
        gtk_widget_set_sensitive(backendList.widget, training ? 0 : 1)
        gtk_widget_set_sensitive(presetList.widget, training ? 0 : 1)
        let problem = model.startProblem
        gtk_widget_set_sensitive(startButton, !model.isBusy && problem == nil ? 1 : 0)
        gtk_widget_set_sensitive(cancelButton, model.phase == .training ? 1 : 0)
        Gtk.setVisible(cancelButton, training)
        Gtk.setVisible(startButton, !training)

        switch model.phase {
        case .training:
            gtk_progress_bar_set_fraction(progressBar.opaque, model.progress.fraction)
            gtk_progress_bar_set_text(progressBar.opaque, model.progress.text)
            gtk_label_set_text(status.opaque, model.progress.text + " — " + L10n.tr("training runs in the background; you can keep using TribeLens."))
        case .stopping:
            gtk_progress_bar_set_text(progressBar.opaque, L10n.tr("Stopping after this batch…"))
            gtk_label_set_text(status.opaque, L10n.tr("Stopping after this batch…"))
        default:
            let last = model.outcome
            gtk_progress_bar_set_fraction(progressBar.opaque, last?.manifest != nil ? 1 : 0)
            gtk_progress_bar_set_text(progressBar.opaque, last.map { Self.stopText($0.stop, epochs: $0.history.count) } ?? L10n.tr("Not started"))
            let outcome = last.map { Self.stopText($0.stop, epochs: $0.history.count) + ". " } ?? ""
            gtk_label_set_text(status.opaque, problem ?? (outcome + (last?.manifest != nil ? L10n.tr("See the Results page to save the model.") : "")))
        }
    }

    /// The curves as a PNG for a report or a bug (light background, 1200x480).
    private func exportCurves() {
        let curves = model.curves
        TrainingPage.exportChart(title: L10n.tr("Export Training Curves"), suggestedName: "training-curves.png",
                                 parent: window, model: model) { url, done in
            TrainingCurvesView.exportPNG(curves, to: url, completion: done)
        }
    }

    private func setSpin(_ spin: Widget, _ value: Double) {
        if gtk_spin_button_get_value(spin.opaque) != value { gtk_spin_button_set_value(spin.opaque, value) }
    }

    static func stopText(_ stop: TrainingStop, epochs: Int) -> String {
        switch stop {
        case .completed: return L10n.format(L10n.tr("Done: %d epochs"), epochs)
        case .earlyStopped(let epoch): return L10n.format(L10n.tr("Done: stopped early after epoch %d"), epoch)
        case .cancelled: return L10n.tr("Cancelled")
        case .diverged: return L10n.tr("Stopped: training diverged")
        }
    }
}
