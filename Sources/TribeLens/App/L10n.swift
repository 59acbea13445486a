import CGtk
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The app's user-visible text through gettext (domain `tribelens`), so the UI follows the
/// locale: English as written in the code, Japanese from `po/ja.po`.
///
/// Strings are marked with `L10n.tr("…")` and `L10n.plural("…", "…", n)`; `make pot`
/// extracts them with xgettext (as C, which reads Swift's plain string literals), so marked
/// strings must be single-line literals without interpolation: numbers and names go into
/// `%d`/`%s` placeholders filled by `L10n.format` (translators may reorder them as `%2$s`).
enum L10n {
    static let domain = "tribelens"

    /// Where the compiled catalogs are, first match wins:
    /// `$TRIBELENS_LOCALEDIR`, then `locale/` next to the executable (the uninstalled build:
    /// the Makefile and the GUI runner compile `po/*.po` into `.build/<config>/locale`), then
    /// `../share/locale` from the executable (the `make install` layout).
    static func localeDirectory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                executable: URL? = executableURL()) -> String? {
        if let dir = environment["TRIBELENS_LOCALEDIR"], dir.hasPrefix("/") { return dir }
        guard let folder = executable?.deletingLastPathComponent() else { return nil }
        let candidates = [folder.appendingPathComponent("locale"),
                          folder.appendingPathComponent("../share/locale").standardizedFileURL]
        let catalog = "LC_MESSAGES/\(domain).mo"
        // A folder counts only if it holds at least one of our catalogs.
        return candidates.first { dir in
            let languages = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return languages.contains { FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).appendingPathComponent(catalog).path) }
        }?.path
    }

    /// Reads the locale from the environment and binds the catalog. Call once, before any
    /// window is built (GTK's own strings use its `gtk40` domain from the system).
    static func setUp() {
        setlocale(LC_ALL, "")
        if let dir = localeDirectory() { bindtextdomain(domain, dir) }
        bind_textdomain_codeset(domain, "UTF-8")
        textdomain(domain)
    }

    /// The translation of `message`, or `message` itself.
    static func tr(_ message: String) -> String {
        // gettext returns its argument itself when there is no translation, so the C string
        // must outlive the copy: a bridged temporary would be freed before String(cString:) reads it.
        message.withCString { String(cString: dgettext(domain, $0)) }
    }

    /// Singular or plural by `count` (`ngettext`: Japanese has one form, English two).
    static func plural(_ singular: String, _ plural: String, _ count: Int) -> String {
        singular.withCString { one in
            plural.withCString { many in String(cString: dngettext(domain, one, many, UInt(max(count, 0)))) }
        }
    }

    /// Fills `%s` and `%d` placeholders in order; translators may reorder with `%1$s`, `%2$d`.
    static func format(_ template: String, _ arguments: CustomStringConvertible...) -> String {
        var result = ""
        var next = 0
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            guard character == "%" else { result.append(character); index = template.index(after: index); continue }
            var cursor = template.index(after: index)
            var digits = ""
            while cursor < template.endIndex, template[cursor].isNumber { digits.append(template[cursor]); cursor = template.index(after: cursor) }
            var position: Int?
            if !digits.isEmpty, cursor < template.endIndex, template[cursor] == "$" {
                position = Int(digits).map { $0 - 1 }
                cursor = template.index(after: cursor)
            } else if !digits.isEmpty {
                cursor = template.index(index, offsetBy: 1)  // digits not followed by $: literal
            }
            guard cursor < template.endIndex else { result.append("%"); index = template.index(after: index); continue }
            switch template[cursor] {
            case "s", "d":
                let slot = position ?? next
                if position == nil { next += 1 }
                result += slot >= 0 && slot < arguments.count ? arguments[slot].description : ""
                index = template.index(after: cursor)
            case "%":
                result.append("%")
                index = template.index(after: cursor)
            default:
                result.append("%")
                index = template.index(after: index)
            }
        }
        return result
    }

    private static func executableURL() -> URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL
    }
}
