import CGtk
import FaceKit
import Foundation

/// For backends that need model files the user downloads: VGG16's ImageNet weights, or the
/// SFace and YuNet face models. Says whether they are installed and checked, and a Get button
/// downloads what is missing with a progress bar. For the face models, Choose File… installs a
/// file the user has; one whose checksum is not a published one only after a confirmation
/// (OpenCV's ONNX reader is not hardened against hostile files). For VGG16, Choose File…
/// appears when the download fails: the published .h5 is copied in, any other is converted in
/// a child process (`ChosenKerasWeights`, through `KerasWeightsImport`).
@MainActor
final class WeightsRow {
    /// Which files the row is about.
    enum Files: Sendable {
        case imageNet
        case faceModels

        var downloads: [PretrainedWeights] {
            switch self {
            case .imageNet: [.vgg16]
            case .faceModels: [.sface, .yunet]
            }
        }

        var buttonTitle: String {
            switch self {
            case .imageNet: L10n.tr("Get Weights")
            case .faceModels: L10n.tr("Get Face Models")
            }
        }
    }

    /// What a check found: the text to show, and whether anything is missing or wrong.
    struct Check: Sendable {
        var text: String
        /// What Get downloads.
        var missing: [PretrainedWeights]
        var complete: Bool { missing.isEmpty }
    }

    let widget: Widget
    let files: Files
    private let state: Widget
    private let button: Widget
    private let choose: Widget
    private let bar: Widget
    private var fetching = false
    /// nil until checked (hashing 38-528 MB: done off the GTK thread).
    private var checked: Check?
    private let worker: TrainingWorker
    /// The window dialogs belong to.
    var parent: Widget?
    /// The files changed (installed now): the panel re-checks whether it can start.
    var onChange: () -> Void = {}
    var onMessage: (String) -> Void = { _ in }

    var isComplete: Bool { checked?.complete ?? false }

    init(worker: TrainingWorker, files: Files) {
        self.worker = worker
        self.files = files
        widget = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6)
        let row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12)!
        state = Gtk.label("", description: files == .imageNet ? "Weights state" : "Face models state")
        gtk_label_set_wrap(state.opaque, 1)
        gtk_label_set_xalign(state.opaque, 0)
        gtk_widget_set_hexpand(state, 1)
        row.append(state)
        button = gtk_button_new_with_label(files.buttonTitle)
        gtk_widget_set_valign(button, GTK_ALIGN_CENTER)
        row.append(button)
        choose = gtk_button_new_with_label(L10n.tr("Choose File…"))
        gtk_widget_set_valign(choose, GTK_ALIGN_CENTER)
        gtk_widget_set_tooltip_text(choose, files == .imageNet ? L10n.tr("Use the VGG16 weights file (.h5) you already have")
                                    : L10n.tr("Use a face model file (.onnx) you already have"))
        row.append(choose)
        // VGG16: offered once the download failed (face models: always).
        Gtk.setVisible(choose, files == .faceModels)
        widget.append(row)
        bar = gtk_progress_bar_new()
        gtk_progress_bar_set_show_text(bar.opaque, 1)
        tl_accessible_set_description(bar, files == .imageNet ? "Weights download progress" : "Face models download progress")
        Gtk.setVisible(bar, false)
        widget.append(bar)
        Signals.connect(button, "clicked") { [weak self] in self?.fetch() }
        Signals.connect(choose, "clicked") { [weak self] in self?.chooseFile() }
        check()
    }

    /// Looks for the files again and checks them, in the background.
    func check() {
        checked = nil
        refresh()
        let files = self.files
        DispatchQueue.global(qos: .utility).async {
            let result = Self.check(files)
            MainLoop.post { [weak self] in
                guard let self else { return }
                self.checked = result
                self.refresh()
                self.onChange()
            }
        }
    }

    nonisolated private static func check(_ files: Files) -> Check {
        switch files {
        case .imageNet:
            let found = WeightsLocator.list().first { $0.weights == .vgg16 }
            switch found?.check {
            case .verified?: return Check(text: L10n.format(L10n.tr("ImageNet weights: %s (checked)"), found!.url.path), missing: [])
            case .wrongSize(let size)?:
                return Check(text: L10n.format(L10n.tr("ImageNet weights at %s have the wrong size (%d bytes); get them again."), found!.url.path, size),
                             missing: [.vgg16])
            case .wrongChecksum?:
                return Check(text: L10n.format(L10n.tr("ImageNet weights at %s do not match their checksum; get them again."), found!.url.path),
                             missing: [.vgg16])
            case nil:
                if case .converted(let file, let source)? = ChosenKerasWeights.chosen() {
                    return Check(text: L10n.format(L10n.tr("ImageNet weights ready: %s (converted from %s)"), file.path, source.path), missing: [])
                }
                return Check(text: L10n.format(L10n.tr("ImageNet weights are not installed (%d MB download)."), PretrainedWeights.vgg16.byteCount / 1_000_000),
                             missing: [.vgg16])
            }
        case .faceModels:
            // Found by checksum whatever their names (FaceModels); a file with unknown bytes is never used.
            let found = FaceModelKind.allCases.map { (try? FaceModels.resolve($0))?.path }
            if let sface = found[0], let yunet = found[1] {
                return Check(text: L10n.format(L10n.tr("Face models: %s and %s (checked)"), sface, yunet), missing: [])
            }
            let missing = zip(found, files.downloads).filter { $0.0 == nil }.map(\.1)
            return Check(text: L10n.format(L10n.tr("The SFace and YuNet face models are not installed (%d MB download)."),
                                           max(1, missing.reduce(0) { $0 + $1.byteCount } / 1_000_000)),
                         missing: missing)
        }
    }

    private func refresh() {
        gtk_label_set_text(state.opaque, checked?.text
                           ?? (files == .imageNet ? L10n.tr("Looking for the ImageNet weights…") : L10n.tr("Looking for the face models…")))
        gtk_widget_set_sensitive(button, fetching || isComplete ? 0 : 1)
    }

    private func chooseFile() {
        guard let parent else { return }
        if files == .imageNet {
            OpenDialog.present(.file(title: L10n.tr("Choose the VGG16 Weights File"), pattern: "*.h5"), parent: parent) { [weak self] urls in
                if let url = urls.first { self?.installKeras(url) }
            }
            return
        }
        OpenDialog.present(.file(title: L10n.tr("Choose a Face Model File"), pattern: "*.onnx"), parent: parent) { [weak self] urls in
            if let url = urls.first { self?.install(url, approve: false) }
        }
    }

    /// Checks and copies `url` into the weights folder off the GTK thread; asks first when its
    /// checksum is not a known one.
    private func install(_ url: URL, approve: Bool) {
        DispatchQueue.global(qos: .userInitiated).async {
            // A known file says what it is; an unknown one is taken for what its size suggests.
            let kind = FaceModels.identify(url)?.kind ?? FaceModels.likelyKind(url)
            let result = Result { try FaceModels.install(url, kind: kind, approveUnknown: approve) }
            MainLoop.post { [weak self] in
                guard let self else { return }
                switch result {
                case .success(let installed):
                    self.onMessage(L10n.format(L10n.tr("%s installed as %s"), url.lastPathComponent, installed.path))
                    self.check()
                case .failure(let error as FaceModelError):
                    if case .unknownChecksum(let sha256, _) = error.reason, !approve, let parent = self.parent {
                        ConfirmDialog.ask(parent: parent, heading: L10n.tr("Use an Unverified Model File?"),
                                          body: L10n.format(L10n.tr("%s is not a published %s file (SHA-256 %s). OpenCV, which reads it, is not hardened against hostile files: use it only if you trust where it came from."),
                                                            url.lastPathComponent, kind.displayName, String(sha256.prefix(16)) + "…"),
                                          cancel: L10n.tr("_Cancel"), confirm: L10n.tr("Use Anyway")) { [weak self] in
                            self?.install(url, approve: true)
                        }
                    } else {
                        self.onMessage("\(error)")
                    }
                case .failure(let error):
                    self.onMessage(L10n.format(L10n.tr("Could not use %s: %s"), url.lastPathComponent, "\(error)"))
                }
            }
        }
    }

    /// The .h5 the user has: copied in (the published file) or converted in a child process,
    /// off the GTK thread; the row then says the weights are ready.
    private func installKeras(_ url: URL) {
        gtk_label_set_text(state.opaque, L10n.format(L10n.tr("Checking %s…"), url.lastPathComponent))
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result { () throws(KerasWeightsImport.Failure) -> ChosenKerasWeights.Installed in try ChosenKerasWeights.install(url) }
            MainLoop.post { [weak self] in
                guard let self else { return }
                switch result {
                case .success(let installed):
                    self.onMessage(L10n.format(L10n.tr("%s installed as %s"), url.lastPathComponent, installed.file.path))
                case .failure(let error):
                    self.onMessage("\(error)")
                }
                self.check()
            }
        }
    }

    private func fetch() {
        guard !fetching else { return }
        fetching = true
        Gtk.setVisible(bar, true)
        gtk_progress_bar_set_text(bar.opaque, L10n.tr("Connecting…"))
        refresh()
        fetchNext(checked?.missing ?? files.downloads)
    }

    /// One file after the other; the bar shows the current file.
    private func fetchNext(_ remaining: [PretrainedWeights]) {
        guard let weights = remaining.first else {
            fetching = false
            Gtk.setVisible(bar, false)
            check()
            return
        }
        worker.fetchWeights(weights, progress: { [weak self] received, expected in
            guard let self else { return }
            gtk_progress_bar_set_fraction(self.bar.opaque, expected > 0 ? Double(received) / Double(expected) : 0)
            gtk_progress_bar_set_text(self.bar.opaque, L10n.format(L10n.tr("%d of %d MB"), Int(received / 1_000_000), Int(expected / 1_000_000)))
        }, done: { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let url):
                self.onMessage(L10n.format(L10n.tr("%s saved to %s"), weights.fileName, url.path))
                self.fetchNext(Array(remaining.dropFirst()))
            case .failure(let error):
                self.onMessage(L10n.format(L10n.tr("Could not get the weights: %s"), "\(error)"))
                if self.files == .imageNet {
                    // Offline, or the server is gone: the file the user may already have.
                    Gtk.setVisible(self.choose, true)
                    self.fetching = false
                    Gtk.setVisible(self.bar, false)
                    gtk_label_set_text(self.state.opaque, L10n.format(L10n.tr("The download failed (%s). If you have %s, choose it."),
                                                                      "\(error)", weights.fileName))
                    gtk_widget_set_sensitive(self.button, 1)
                    return
                }
                self.fetchNext([])
            }
        })
    }
}
