import CGtk
import Foundation

/// GFile <-> URL. Paths are bytes on Linux: going through `g_file_get_path` keeps file names in
/// any encoding (Japanese names included) intact.
enum GFileURL {
    /// The local file URL of a GFile, or nil for non-local (e.g. http://) files.
    static func url(_ file: OpaquePointer) -> URL? {
        guard let path = g_file_get_path(file) else { return nil }
        defer { g_free(path) }
        return URL(fileURLWithPath: String(cString: path))
    }

    /// URLs of a GSList of GFile (as from a dropped GdkFileList); the list is not freed.
    static func urls(_ list: UnsafeMutablePointer<GSList>?) -> [URL] {
        var result: [URL] = []
        var node = list
        while let current = node {
            if let file = current.pointee.data { url(OpaquePointer(file)).map { result.append($0) } }
            node = current.pointee.next
        }
        return result
    }

    /// URLs of a GListModel of GFile (as from a file chooser).
    static func urls(model: OpaquePointer) -> [URL] {
        var result: [URL] = []
        for index in 0..<g_list_model_get_n_items(model) {
            guard let item = g_list_model_get_item(model, index) else { continue }
            url(OpaquePointer(item)).map { result.append($0) }
            g_object_unref(item)
        }
        return result
    }
}
