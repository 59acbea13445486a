import CGtk
import Foundation

/// "Show in Folder": asks the file manager to open the file's folder with the file selected
/// (`org.freedesktop.FileManager1.ShowItems` on the session bus: Nautilus, Nemo, Dolphin,
/// Thunar and others answer it); without one, opens the folder with the desktop's default
/// handler (`gtk_show_uri`). Asynchronous: the window never waits on the bus.
@MainActor
enum ShowInFolder {
    static let busName = "org.freedesktop.FileManager1"
    static let objectPath = "/org/freedesktop/FileManager1"

    static func show(_ file: URL, parent: Widget) {
        guard let bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nil, nil) else {
            openFolder(of: file, parent: parent)
            return
        }
        let uri = file.absoluteString
        let parameters = uri.withCString { pointer -> OpaquePointer in
            var strings: [UnsafePointer<CChar>?] = [pointer]
            let items = g_variant_new_strv(&strings, 1)
            var children: [OpaquePointer?] = [items, g_variant_new_string("")]
            return g_variant_new_tuple(&children, 2)
        }
        let context = Unmanaged.passRetained(HandlerBox<@MainActor (Bool) -> Void> { shown in
            if !shown { openFolder(of: file, parent: parent) }
        } as AnyObject).toOpaque()
        g_dbus_connection_call(bus, busName, objectPath, busName, "ShowItems", parameters, nil,
                               G_DBUS_CALL_FLAGS_NONE, 5000, nil, { source, result, data in
            var error: UnsafeMutablePointer<GError>?
            let reply = g_dbus_connection_call_finish(OpaquePointer(source), result, &error)
            if let reply { g_variant_unref(reply) }
            if let error {
                FileHandle.standardError.write(Data("tribelens: no file manager answered ShowItems (\(String(cString: error.pointee.message))); opening the folder\n".utf8))
                g_error_free(error)
            }
            let box = Unmanaged<AnyObject>.fromOpaque(data!).takeRetainedValue() as! HandlerBox<@MainActor (Bool) -> Void>
            let shown = reply != nil
            MainActor.assumeIsolated { box.handler(shown) }
        }, context)
        g_object_unref(UnsafeMutableRawPointer(bus))
    }

    /// The fallback: the folder itself, in whatever opens folders.
    private static func openFolder(of file: URL, parent: Widget) {
        gtk_show_uri(parent.cast(), file.deletingLastPathComponent().absoluteString, UInt32(GDK_CURRENT_TIME))
    }
}
