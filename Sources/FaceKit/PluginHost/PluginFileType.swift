import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Names a file type from `stat`'s mode, for "not a regular file (a FIFO)".
enum PluginFileType {
    static func name(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// stat (following symbolic links: a link to a regular file is fine); nil when it fails.
    static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }
}
