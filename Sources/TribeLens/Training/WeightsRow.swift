import CGtk
import FaceKit
import Foundation

/// For backends that start from pretrained weights (VGG16): whether the ImageNet weights are
/// installed and checked, and a Get Weights action that downloads them with a progress bar.
@MainActor
final class WeightsRow {
    let widget: Widget
    private let state: Widget
    private let button: Widget
    private let bar: Widget
    private var fetching = false
    /// The installed copy and its check; nil until checked (MD5 of 528 MB: done off the GTK thread).
    private var checked: (found: WeightsLocator.Found?, done: Bool) = (nil, false)
    private let worker: TrainingWorker
    /// The weights changed (installed now): the panel re-checks whether it can start.
    var onChange: () -> Void = {}
    var onMessage: (String) -> Void = { _ in }

    init(worker: TrainingWorker) {
        self.worker = worker
        widget = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)
        let row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        state = Gtk.label("", description: "Weights state")
        gtk_label_set_wrap(state.opaque, 1)
        gtk_label_set_xalign(state.opaque, 0)
        gtk_widget_set_hexpand(state, 1)
        row.append(state)
        button = gtk_button_new_with_label(L10n.tr("Get Weights"))
        gtk_widget_set_valign(button, GTK_ALIGN_CENTER)
        row.append(button)
        widget.append(row)
        bar = gtk_progress_bar_new()
        gtk_progress_bar_set_show_text(bar.opaque, 1)
        tl_accessible_set_description(bar, "Weights download progress")
        Gtk.setVisible(bar, false)
        widget.append(bar)
        Signals.connect(button, "clicked") { [weak self] in self?.fetch() }
        check()
    }

    /// Looks for the weights again and checks them, in the background.
    func check() {
        checked.done = false
        refresh()
        DispatchQueue.global(qos: .utility).async {
            let found = WeightsLocator.list().first { $0.weights == .vgg16 }
            MainLoop.post { [weak self] in
                guard let self else { return }
                self.checked = (found, true)
                self.refresh()
                self.onChange()
            }
        }
    }

    private func refresh() {
        let found = checked.found
        let text: String
        switch found?.check {
        case .verified?: text = L10n.format(L10n.tr("ImageNet weights: %s (checked)"), found!.url.path)
        case .wrongSize(let size)?: text = L10n.format(L10n.tr("ImageNet weights at %s have the wrong size (%d bytes); get them again."), found!.url.path, size)
        case .wrongChecksum?: text = L10n.format(L10n.tr("ImageNet weights at %s do not match their checksum; get them again."), found!.url.path)
        case nil where !checked.done: text = L10n.tr("Looking for the ImageNet weights…")
        case nil: text = L10n.format(L10n.tr("ImageNet weights are not installed (%d MB download)."), PretrainedWeights.vgg16.byteCount / 1_000_000)
        }
        gtk_label_set_text(state.opaque, text)
        gtk_widget_set_sensitive(button, fetching || found?.check == .verified ? 0 : 1)
    }

    private func fetch() {
        guard !fetching else { return }
        fetching = true
        Gtk.setVisible(bar, true)
        gtk_progress_bar_set_text(bar.opaque, L10n.tr("Connecting…"))
        refresh()
        worker.fetchWeights(.vgg16, progress: { [weak self] received, expected in
            guard let self else { return }
            gtk_progress_bar_set_fraction(self.bar.opaque, expected > 0 ? Double(received) / Double(expected) : 0)
            gtk_progress_bar_set_text(self.bar.opaque, L10n.format(L10n.tr("%d of %d MB"), Int(received / 1_000_000), Int(expected / 1_000_000)))
        }, done: { [weak self] result in
            guard let self else { return }
            self.fetching = false
            Gtk.setVisible(self.bar, false)
            switch result {
            case .success(let url): self.onMessage(L10n.format(L10n.tr("ImageNet weights saved to %s"), url.path))
            case .failure(let error): self.onMessage(L10n.format(L10n.tr("Could not get the weights: %s"), "\(error)"))
            }
            self.check()
        })
    }
}
