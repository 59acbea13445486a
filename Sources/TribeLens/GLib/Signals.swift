import CGtk

/// Holds a Swift handler for as long as GLib holds the signal connection; released by the
/// connection's destroy notify. Only touched on the GTK thread, hence `@unchecked Sendable`.
final class HandlerBox<Handler>: @unchecked Sendable {
    let handler: Handler
    init(_ handler: Handler) { self.handler = handler }
}

/// Typed `g_signal_connect` for the few signal shapes the app uses. Each shape needs its own
/// `@convention(c)` thunk because C callbacks cannot be generic or capture context.
/// GTK emits signals on its own thread, which is the main thread: handlers run `@MainActor`.
@MainActor
enum Signals {
    private static let releaseBox: GClosureNotify = { data, _ in
        guard let data else { return }
        Unmanaged<AnyObject>.fromOpaque(data).release()
    }

    private static func connect<H>(_ instance: UnsafeMutableRawPointer, _ signal: String,
                                   _ thunk: GCallback, _ handler: H) {
        let box = Unmanaged.passRetained(HandlerBox(handler) as AnyObject).toOpaque()
        tl_signal_connect(instance, signal, thunk, box, releaseBox)
    }

    private static func handler<H>(_ data: gpointer?) -> H {
        (Unmanaged<AnyObject>.fromOpaque(data!).takeUnretainedValue() as! HandlerBox<H>).handler
    }

    /// `void (*)(GObject *self, gpointer data)`: "clicked", "activate", "leave", ...
    static func connect(_ instance: UnsafeMutableRawPointer, _ signal: String,
                        _ handler: @escaping @MainActor () -> Void) {
        typealias H = @MainActor () -> Void
        let thunk: @convention(c) (gpointer?, gpointer?) -> Void = { _, data in
            MainActor.assumeIsolated { (Signals.handler(data) as H)() }
        }
        connect(instance, signal, unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// `void (*)(GObject *self, int value, gpointer data)`: GtkNativeDialog "response".
    static func connectInt(_ instance: UnsafeMutableRawPointer, _ signal: String,
                           _ handler: @escaping @MainActor (Int32) -> Void) {
        typealias H = @MainActor (Int32) -> Void
        let thunk: @convention(c) (gpointer?, Int32, gpointer?) -> Void = { _, value, data in
            MainActor.assumeIsolated { (Signals.handler(data) as H)(value) }
        }
        connect(instance, signal, unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// GSimpleAction "activate": `void (*)(GSimpleAction *, GVariant *parameter, gpointer)`.
    static func connectAction(_ action: OpaquePointer, _ handler: @escaping @MainActor () -> Void) {
        typealias H = @MainActor () -> Void
        let thunk: @convention(c) (gpointer?, OpaquePointer?, gpointer?) -> Void = { _, _, data in
            MainActor.assumeIsolated { (Signals.handler(data) as H)() }
        }
        connect(UnsafeMutableRawPointer(action), "activate",
                unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// `gboolean (*)(GObject *self, gpointer data)`: GtkWindow "close-request" (true stops the close).
    static func connectBool(_ instance: UnsafeMutableRawPointer, _ signal: String,
                            _ handler: @escaping @MainActor () -> Bool) {
        typealias H = @MainActor () -> Bool
        let thunk: @convention(c) (gpointer?, gpointer?) -> gboolean = { _, data in
            MainActor.assumeIsolated { (Signals.handler(data) as H)() ? 1 : 0 }
        }
        connect(instance, signal, unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// `void (*)(GObject *self, GParamSpec *pspec, gpointer data)`: "notify::property",
    /// and GSettings "changed::key" (`void (*)(GSettings *, char *key, gpointer)`), same shape.
    static func connectNotify(_ instance: UnsafeMutableRawPointer, _ signal: String,
                              _ handler: @escaping @MainActor () -> Void) {
        typealias H = @MainActor () -> Void
        let thunk: @convention(c) (gpointer?, gpointer?, gpointer?) -> Void = { _, _, data in
            MainActor.assumeIsolated { (Signals.handler(data) as H)() }
        }
        connect(instance, signal, unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// GtkDropTarget "enter"/"motion": `GdkDragAction (*)(GtkDropTarget *, double x, double y, gpointer)`.
    static func connectDragMotion(_ target: OpaquePointer, _ signal: String,
                                  _ handler: @escaping @MainActor () -> GdkDragAction) {
        typealias H = @MainActor () -> GdkDragAction
        let thunk: @convention(c) (gpointer?, Double, Double, gpointer?) -> GdkDragAction = { _, _, _, data in
            MainActor.assumeIsolated { (Signals.handler(data) as H)() }
        }
        connect(UnsafeMutableRawPointer(target), signal, unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// GtkDropTarget "drop": `gboolean (*)(GtkDropTarget *, const GValue *, double, double, gpointer)`.
    static func connectDrop(_ target: OpaquePointer,
                            _ handler: @escaping @MainActor (UnsafePointer<GValue>?) -> Bool) {
        typealias H = @MainActor (UnsafePointer<GValue>?) -> Bool
        let thunk: @convention(c) (gpointer?, UnsafePointer<GValue>?, Double, Double, gpointer?) -> gboolean = {
            _, value, _, _, data in
            MainActor.assumeIsolated { (Signals.handler(data) as H)(value) ? 1 : 0 }
        }
        connect(UnsafeMutableRawPointer(target), "drop", unsafeBitCast(thunk, to: GCallback.self), handler)
    }

    /// GApplication "open": `void (*)(GApplication *, GFile **files, int n, char *hint, gpointer)`.
    static func connectOpen(_ application: UnsafeMutableRawPointer,
                            _ handler: @escaping @MainActor ([OpaquePointer]) -> Void) {
        typealias H = @MainActor ([OpaquePointer]) -> Void
        let thunk: @convention(c) (gpointer?, UnsafeMutablePointer<OpaquePointer?>?, Int32,
                                   UnsafePointer<CChar>?, gpointer?) -> Void = { _, files, count, _, data in
            let list = (0..<Int(max(count, 0))).compactMap { files?[$0] }
            MainActor.assumeIsolated { (Signals.handler(data) as H)(list) }
        }
        connect(application, "open", unsafeBitCast(thunk, to: GCallback.self), handler)
    }
}
