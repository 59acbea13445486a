import CGtk

/// Getting back onto the GTK thread. Under `g_application_run` the GLib loop owns the main
/// thread, so `DispatchQueue.main` and `@MainActor` tasks only run once the Dispatch main queue
/// is wired into that loop (`integrateDispatchMainQueue`). `post` uses a plain GLib idle source
/// and works either way.
enum MainLoop {
    /// Runs `body` on the GTK thread at the loop's next turn. Callable from any thread.
    /// `afterLayout`: only once GTK has laid out and drawn pending changes (idle priority below
    /// GDK's redraw priority), e.g. to scroll to a widget that was just added.
    static func post(afterLayout: Bool = false, _ body: @escaping @MainActor @Sendable () -> Void) {
        let box = Unmanaged.passRetained(HandlerBox(body)).toOpaque()
        g_idle_add_full(afterLayout ? G_PRIORITY_LOW : G_PRIORITY_DEFAULT, { data in
            let box = Unmanaged<HandlerBox<@MainActor @Sendable () -> Void>>.fromOpaque(data!)
                .takeRetainedValue()
            MainActor.assumeIsolated { box.handler() }
            return 0  // G_SOURCE_REMOVE
        }, box, nil)
    }

    /// Runs `body` once after `milliseconds` on the GTK thread; returns the source id for `cancel`.
    @MainActor @discardableResult
    static func after(milliseconds: UInt32, _ body: @escaping @MainActor () -> Void) -> UInt32 {
        let box = Unmanaged.passRetained(HandlerBox(body)).toOpaque()
        return g_timeout_add_full(G_PRIORITY_DEFAULT, milliseconds, { data in
            let box = Unmanaged<HandlerBox<@MainActor () -> Void>>.fromOpaque(data!).takeUnretainedValue()
            MainActor.assumeIsolated { box.handler() }
            return 0
        }, box, { data in Unmanaged<AnyObject>.fromOpaque(data!).release() })
    }

    @MainActor
    static func cancel(_ source: UInt32) {
        if source != 0 { g_source_remove(source) }
    }

    /// Lets `DispatchQueue.main.async` and `Task { @MainActor in ... }` run inside the GLib loop:
    /// libdispatch signals pending main-queue work on a file descriptor, which GLib watches.
    @MainActor
    static func integrateDispatchMainQueue() {
        guard let handle = _dispatch_get_main_queue_handle_4CF() else { return }
        let fd = Int32(truncatingIfNeeded: Int(bitPattern: handle))
        g_unix_fd_add(fd, G_IO_IN, { _, _, _ in
            _dispatch_main_queue_callback_4CF(nil)
            return 1  // G_SOURCE_CONTINUE
        }, nil)
    }
}
