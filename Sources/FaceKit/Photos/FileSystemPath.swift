import Foundation

/// File names as the file system stores them: bytes, not necessarily UTF-8.
///
/// Foundation on Linux replaces every byte of a name that is not UTF-8 by U+FFFD, so such a
/// file can be listed but never opened again ("no such file"). TribeLens keeps those bytes in its
/// `URL`s instead: each byte that is not part of valid UTF-8 becomes the private-use code point
/// U+10FF00 + byte (U+10FF80...U+10FFFF, a range real names do not use), and every photo file is
/// opened through `withRawPath`, which turns them back into the original bytes.
public enum FileSystemPath {
    static let escapeBase: UInt32 = 0x10FF00

    /// A name or path from raw bytes, invalid UTF-8 bytes escaped (see above).
    public static func string<C: Collection>(fromRaw bytes: C) -> String where C.Element == UInt8 {
        let raw = Array(bytes)
        if let valid = String(validating: raw, as: UTF8.self), !valid.unicodeScalars.contains(where: isEscape) {
            return valid
        }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < raw.count {
            if raw[i] < 0x80 {
                scalars.append(Unicode.Scalar(raw[i]))
                i += 1
                continue
            }
            // The longest valid sequence starting here, else the lone byte escaped.
            var taken = false
            for length in 2...4 where i + length <= raw.count {
                if let s = String(validating: raw[i..<(i + length)], as: UTF8.self), s.unicodeScalars.count == 1,
                   let scalar = s.unicodeScalars.first, !isEscape(scalar) {
                    scalars.append(scalar)
                    i += length
                    taken = true
                    break
                }
            }
            if !taken {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(raw[i]))!)
                i += 1
            }
        }
        return String(scalars)
    }

    /// The bytes `string(fromRaw:)` came from, NUL-terminated (for open, stat, opendir).
    public static func rawBytes(_ path: String) -> [CChar] {
        var out: [CChar] = []
        out.reserveCapacity(path.utf8.count + 1)
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                out.append(CChar(bitPattern: UInt8(scalar.value - escapeBase)))
            } else {
                out += String(scalar).utf8.map { CChar(bitPattern: $0) }
            }
        }
        out.append(0)
        return out
    }

    /// Runs `body` with the file-system bytes of `url`'s path.
    public static func withRawPath<R>(_ url: URL, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        try rawBytes(url.path).withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// What to show a person: escaped bytes as U+FFFD, like any lossy decoding.
    public static func display(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: isEscape) else { return path }
        return String(String.UnicodeScalarView(path.unicodeScalars.map { isEscape($0) ? "\u{FFFD}" : $0 }))
    }

    static func isEscape(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF }

    /// A command-line argument as the bytes the shell passed: `CommandLine.arguments` decodes
    /// argv lossily, so an argument holding U+FFFD is matched back to its raw argv entry.
    public static func argument(_ text: String) -> String {
        guard text.contains("\u{FFFD}") else { return text }
        for index in 0..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let raw = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
            if String(decoding: raw, as: UTF8.self) == text { return string(fromRaw: raw) }
        }
        return text
    }
}

extension URL {
    /// The path as a person should see it (bytes that are not UTF-8 shown as U+FFFD).
    public var displayPath: String { FileSystemPath.display(path) }
    /// The last path component as a person should see it.
    public var displayName: String { FileSystemPath.display(lastPathComponent) }
}
