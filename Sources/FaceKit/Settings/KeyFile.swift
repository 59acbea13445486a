import Foundation

/// A small reader/writer for the desktop "key file" format (`[Group]`, `key=value`, `#`
/// comments), the format GLib's GKeyFile and `.desktop` files use. FaceKit has no GLib, and
/// settings must be testable without a display, hence our own. Comments, blank lines and keys
/// this version does not know survive a load-modify-save, so a newer or older TribeLens (or a
/// hand edit) sharing the file loses nothing.
public struct KeyFile: Equatable, Sendable {
    enum Line: Equatable, Sendable {
        case other(String)  // comment or blank, kept verbatim
        case group(String)
        case entry(key: String, value: String)
    }

    var lines: [Line] = []

    public init() {}

    /// Parses `text`; `source` names the file in error messages.
    public init(parsing text: String, source: String = "key file") throws {
        var sawGroup = false
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                lines.append(.other(line))
            } else if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw SettingsError("\(source) line \(number + 1): a group header must look like [Name]")
                }
                lines.append(.group(String(trimmed.dropFirst().dropLast())))
                sawGroup = true
            } else if let equals = trimmed.firstIndex(of: "=") {
                let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty else { throw SettingsError("\(source) line \(number + 1): a key is missing before \"=\"") }
                guard sawGroup else { throw SettingsError("\(source) line \(number + 1): \"\(key)\" comes before any [Group]") }
                let value = Self.unescape(String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces))
                lines.append(.entry(key: key, value: value))
            } else {
                throw SettingsError("\(source) line \(number + 1): expected [Group], key=value or a # comment, found \"\(trimmed.prefix(40))\"")
            }
        }
        // A trailing newline produces one empty last line; don't double it on save.
        if case .other("") = lines.last { lines.removeLast() }
    }

    /// The value of `key` in `group` (the last one if the key repeats), or nil.
    public func value(_ group: String, _ key: String) -> String? {
        var current: String?
        var found: String?
        for line in lines {
            switch line {
            case .group(let name): current = name
            case .entry(let k, let v) where current == group && k == key: found = v
            default: break
            }
        }
        return found
    }

    /// Sets `key` in `group`, replacing it in place or appending it to the group (creating the
    /// group at the end if needed).
    public mutating func set(_ group: String, _ key: String, _ value: String) {
        var current: String?
        var lastLineOfGroup: Int?
        for index in lines.indices {
            switch lines[index] {
            case .group(let name):
                current = name
                if name == group { lastLineOfGroup = index }
            case .entry(let k, _):
                if current == group {
                    if k == key { lines[index] = .entry(key: key, value: value); return }
                    lastLineOfGroup = index
                }
            case .other:
                break
            }
        }
        if let lastLineOfGroup {
            lines.insert(.entry(key: key, value: value), at: lastLineOfGroup + 1)
        } else {
            if !lines.isEmpty { lines.append(.other("")) }
            lines.append(.group(group))
            lines.append(.entry(key: key, value: value))
        }
    }

    /// The file's text, ending with a newline.
    public var text: String {
        lines.map { line -> String in
            switch line {
            case .other(let text): return text
            case .group(let name): return "[\(name)]"
            case .entry(let key, let value): return "\(key)=\(Self.escape(value))"
            }
        }.joined(separator: "\n") + "\n"
    }

    // GKeyFile's escapes for the characters a one-line value cannot hold as is.
    static func escape(_ value: String) -> String {
        var out = ""
        for (offset, character) in value.enumerated() {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case " " where offset == 0: out += "\\s"  // a leading space would be trimmed
            default: out.append(character)
            }
        }
        if out.hasSuffix(" ") { out = String(out.dropLast()) + "\\s" }  // so would a trailing one
        return out
    }

    static func unescape(_ value: String) -> String {
        var out = ""
        var escaping = false
        for character in value {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "s": out.append(" ")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}
