import CGtk
import FaceKit
import Foundation

/// The GtkApplication: one instance per session (a second `tribelens photo.jpg` hands its files
/// to the running one), a window per activation, photos from the command line and file
/// managers through `open`.
@MainActor
final class TribeLensApplication {
    static let id = "io.github.tribelens.TribeLens"

    private let app: UnsafeMutablePointer<GtkApplication>
    private var windows: [MainWindow] = []
    private let analyzer: PhotoAnalyzer

    init(analyzer: PhotoAnalyzer) {
        self.analyzer = analyzer
        app = gtk_application_new(Self.id, G_APPLICATION_HANDLES_OPEN)
        g_set_application_name("TribeLens")
        g_application_set_option_context_parameter_string(app.cast(), L10n.tr("[PHOTO|FOLDER…]"))
        g_application_set_option_context_summary(app.cast(), [
            L10n.tr("Finds the faces in photos and boxes them. Folders are searched for photos; photos also come by drag and drop or the Open button."),
            L10n.tr("Environment: TRIBELENS_YUNET_MODEL=PATH uses the YuNet detector instead of Haar."),
        ].joined(separator: "\n"))
        Signals.connect(app, "startup") { [weak self] in self?.startup() }
        Signals.connect(app, "activate") { [weak self] in self?.window().present() }
        Signals.connectOpen(app) { [weak self] files in
            guard let self else { return }
            let window = self.window()
            window.present()
            window.open(files.compactMap(GFileURL.url))
        }
    }

    func run() -> Int32 {
        MainLoop.integrateDispatchMainQueue()
        return g_application_run(app.cast(), CommandLine.argc, CommandLine.unsafeArgv)
    }

    private func startup() {
        let quit = g_simple_action_new("quit", nil)!
        Signals.connectAction(quit) { [weak self] in
            guard let self else { return }
            // Close each window (its close-request saves settings and may ask first); the app
            // ends with the last one.
            if self.windows.isEmpty { g_application_quit(self.app.cast()) }
            for window in self.windows { gtk_window_close(window.widget.cast()) }
        }
        g_action_map_add_action(app.opaque, quit)
        g_object_unref(UnsafeMutableRawPointer(quit))

        setAccels("app.quit", ["<Control>q"])
        setAccels("window.close", ["<Control>w"])
        setAccels("win.open", ["<Control>o"])
        setAccels("win.open-folder", ["<Control><Shift>o"])
        setAccels("win.previous", ["Left", "Page_Up"])
        setAccels("win.next", ["Right", "Page_Down"])
        DesktopIntegration.startup(app)  // about, preferences, shortcuts window, dark style
    }

    /// The active window, or a new one.
    private func window() -> MainWindow {
        if let active = gtk_application_get_active_window(app),
           let window = windows.first(where: { $0.widget == UnsafeMutableRawPointer(active).assumingMemoryBound(to: GtkWidget.self) }) {
            return window
        }
        let window = MainWindow(application: app, analyzer: analyzer, state: .shared, corrections: .shared)
        DesktopIntegration.windowCreated(window.widget)
        windows.append(window)
        Signals.connect(window.widget, "destroy") { [weak self, weak window] in
            self?.windows.removeAll { $0 === window }
        }
        return window
    }

    private func setAccels(_ action: String, _ accels: [String]) {
        let strings = accels.map { strdup($0) }
        defer { strings.forEach { free($0) } }
        var array = strings.map { UnsafePointer($0) } + [nil]
        array.withUnsafeMutableBufferPointer { gtk_application_set_accels_for_action(app, action, $0.baseAddress) }
    }
}
