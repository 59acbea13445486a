import CGtk
import Foundation

/// The desktop's light/dark preference from the XDG desktop portal
/// (`org.freedesktop.portal.Settings`, key `org.freedesktop.appearance color-scheme`:
/// 0 no preference, 1 prefer dark, 2 prefer light), for desktops without GNOME's GSettings
/// schema. Read once asynchronously, then followed through the `SettingChanged` signal.
/// Without a portal on the session bus it stays silent (`prefersDark` nil).
@MainActor
final class PortalColorScheme {
    private static let service = "org.freedesktop.portal.Desktop"
    private static let path = "/org/freedesktop/portal/desktop"
    private static let interface = "org.freedesktop.portal.Settings"
    private static let namespace = "org.freedesktop.appearance"
    private static let key = "color-scheme"

    /// nil until the portal answered (or when there is none).
    private(set) var prefersDark: Bool?
    private let onChange: @MainActor () -> Void
    private var connection: OpaquePointer?

    init(onChange: @escaping @MainActor () -> Void) {
        self.onChange = onChange
        guard let bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nil, nil) else { return }
        connection = bus
        // Lives as long as the app (one per process); the callbacks get an unretained self.
        let me = Unmanaged.passUnretained(self).toOpaque()

        let changed: GDBusSignalCallback = { _, _, _, _, _, parameters, data in
            guard let parameters, let data else { return }
            let namespace = PortalColorScheme.string(parameters, 0)
            let key = PortalColorScheme.string(parameters, 1)
            guard namespace == PortalColorScheme.namespace, key == PortalColorScheme.key else { return }
            let value = g_variant_get_child_value(parameters, 2)
            defer { if let value { g_variant_unref(value) } }
            let scheme = value.flatMap(PortalColorScheme.uint32)
            MainActor.assumeIsolated {
                Unmanaged<PortalColorScheme>.fromOpaque(data).takeUnretainedValue().update(scheme)
            }
        }
        g_dbus_connection_signal_subscribe(bus, Self.service, Self.interface, "SettingChanged", Self.path,
                                           nil, G_DBUS_SIGNAL_FLAGS_NONE, changed, me, nil)

        var strings = [g_variant_new_string(Self.namespace), g_variant_new_string(Self.key)]
        let arguments = strings.withUnsafeMutableBufferPointer { g_variant_new_tuple($0.baseAddress, 2) }
        let answered: GAsyncReadyCallback = { source, result, data in
            guard let source, let data else { return }
            let reply = g_dbus_connection_call_finish(OpaquePointer(source), result, nil)
            defer { if let reply { g_variant_unref(reply) } }
            // Read's reply is (v) holding v holding u; older portals nest one variant less.
            let value = reply.flatMap { g_variant_get_child_value($0, 0) }
            defer { if let value { g_variant_unref(value) } }
            let scheme = value.flatMap(PortalColorScheme.uint32)
            MainActor.assumeIsolated {
                Unmanaged<PortalColorScheme>.fromOpaque(data).takeUnretainedValue().update(scheme)
            }
        }
        // NO_AUTO_START: don't launch a portal just for this; a running one answers.
        g_dbus_connection_call(bus, Self.service, Self.path, Self.interface, "Read", arguments, nil,
                               G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000, nil, answered, me)
    }

    private func update(_ scheme: UInt32?) {
        guard let scheme else { return }
        let dark = scheme == 1
        guard dark != prefersDark else { return }
        prefersDark = dark
        onChange()
    }

    // MARK: GVariant helpers (the G_VARIANT_TYPE_* macros are casts Swift cannot import)

    nonisolated private static func string(_ tuple: OpaquePointer, _ index: Int) -> String? {
        guard let child = g_variant_get_child_value(tuple, gsize(index)) else { return nil }
        defer { g_variant_unref(child) }
        guard String(cString: g_variant_get_type_string(child)) == "s" else { return nil }
        return String(cString: g_variant_get_string(child, nil))
    }

    /// The uint32 inside any number of nested variants.
    nonisolated private static func uint32(_ variant: OpaquePointer) -> UInt32? {
        var current = g_variant_ref(variant)
        defer { if let current { g_variant_unref(current) } }
        while let value = current, String(cString: g_variant_get_type_string(value)) == "v" {
            current = g_variant_get_variant(value)
            g_variant_unref(value)
        }
        guard let value = current, String(cString: g_variant_get_type_string(value)) == "u" else { return nil }
        return g_variant_get_uint32(value)
    }
}
