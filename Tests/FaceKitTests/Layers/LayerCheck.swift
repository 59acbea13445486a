import Foundation

/// Finds uses of a type from a folder above the file's own, in a module whose folders are layers
/// (FaceKit: docs/architecture.md). It reads the sources rather than the compiler's index, so it
/// runs in a second and needs no build: the top-level declarations (types, free functions and
/// globals, at column 0 as the project writes them) give each name a folder; then every
/// identifier outside comments and string literals (interpolations count) is looked up.
///
/// What it cannot see: members that an extension in a higher folder adds to a lower type, and a
/// nested type that happens to share a top-level name elsewhere (reported; rename one of them).
struct LayerCheck {
    struct Violation: Equatable, CustomStringConvertible {
        /// The file, relative to the module's folder ("Dataset/FaceExtractor.swift").
        var file: String
        var name: String
        /// Where `name` is defined.
        var definedIn: String

        var description: String {
            let folder = file.split(separator: "/").first.map(String.init) ?? file
            return "\(file) uses \(name) from \(definedIn)/, which lies above \(folder)/"
        }
    }

    struct Report {
        /// Folders of the module missing from the order (every folder must have a place).
        var unplaced: [String]
        /// Files directly in the module's folder, outside any layer.
        var unfoldered: [String]
        var violations: [Violation]
    }

    /// The module's folder.
    let root: URL
    /// Its folders, lowest first.
    let layers: [String]

    func run() throws -> Report {
        let files = try swiftFiles()
        var owner: [String: String] = [:]
        var unfoldered: [String] = []
        for (path, text) in files {
            guard let folder = Self.folder(of: path) else { unfoldered.append(path); continue }
            for name in Self.declaredNames(text) { owner[name] = folder }
        }
        let folders = Set(files.keys.compactMap(Self.folder(of:)))
        let rank = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($1, $0) })
        var violations: [Violation] = []
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            guard let folder = Self.folder(of: path), let own = rank[folder] else { continue }
            for name in Self.usedNames(Self.code(of: text)).sorted() {
                guard let definedIn = owner[name], let other = rank[definedIn], other > own else { continue }
                violations.append(Violation(file: path, name: name, definedIn: definedIn))
            }
        }
        return Report(unplaced: folders.subtracting(layers).sorted(), unfoldered: unfoldered.sorted(), violations: violations)
    }

    private func swiftFiles() throws -> [String: String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: root.path])
        }
        var files: [String: String] = [:]
        while let path = walker.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            files[path] = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        return files
    }

    private static func folder(of path: String) -> String? {
        let parts = path.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : nil
    }

    // MARK: Reading Swift

    private static let declaration = try! NSRegularExpression(
        pattern: #"^(?:@\w+(?:\([^)\n]*\))?\s+)*(?:(?:public|internal|fileprivate|private|package|final|open|indirect|nonisolated)\s+)*"#
            + #"(?:struct|class|enum|protocol|actor|typealias|func|let|var)\s+([A-Za-z_]\w*)"#,
        options: [.anchorsMatchLines])

    static func declaredNames(_ text: String) -> Set<String> {
        let range = NSRange(text.startIndex..., in: text)
        return Set(declaration.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        })
    }

    /// Identifiers not reached through a dot (a member named like a type is not a use of it).
    static func usedNames(_ code: [UInt8]) -> Set<String> {
        var names = Set<String>()
        var i = 0
        func isStart(_ c: UInt8) -> Bool { c == UInt8(ascii: "_") || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z")) }
        func isPart(_ c: UInt8) -> Bool { isStart(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) }
        while i < code.count {
            guard isStart(code[i]), i == 0 || !isPart(code[i - 1]) else { i += 1; continue }
            var end = i
            while end < code.count, isPart(code[end]) { end += 1 }
            var before = i - 1
            while before >= 0, code[before] == UInt8(ascii: " ") || code[before] == UInt8(ascii: "\n") { before -= 1 }
            if before < 0 || code[before] != UInt8(ascii: ".") {
                names.insert(String(decoding: code[i..<end], as: UTF8.self))
            }
            i = end
        }
        return names
    }

    /// The text without comments and without the literal parts of strings; interpolated
    /// expressions stay, since they are code.
    static func code(of text: String) -> [UInt8] {
        var lexer = Lexer(Array(text.utf8))
        lexer.code(untilParen: false)
        return lexer.out
    }

    private struct Lexer {
        let s: [UInt8]
        var i = 0
        var out: [UInt8] = []

        init(_ s: [UInt8]) { self.s = s }

        func at(_ offset: Int, _ c: Character) -> Bool { i + offset < s.count && s[i + offset] == c.asciiValue! }

        /// Code up to the end, or up to the `)` that closes an interpolation.
        mutating func code(untilParen: Bool) {
            var depth = 0
            while i < s.count {
                if at(0, "/"), at(1, "/") {
                    while i < s.count, !at(0, "\n") { i += 1 }
                } else if at(0, "/"), at(1, "*") {
                    blockComment()
                } else if at(0, "#") || at(0, "\"") {
                    var hashes = 0
                    while at(hashes, "#") { hashes += 1 }
                    guard at(hashes, "\"") else { out.append(s[i]); i += 1; continue }
                    i += hashes
                    string(hashes: hashes)
                } else if untilParen, at(0, ")"), depth == 0 {
                    i += 1
                    return
                } else {
                    if at(0, "(") { depth += 1 } else if at(0, ")") { depth -= 1 }
                    out.append(s[i])
                    i += 1
                }
            }
        }

        mutating func blockComment() {
            var depth = 0
            while i < s.count {
                if at(0, "/"), at(1, "*") { depth += 1; i += 2 } else if at(0, "*"), at(1, "/") {
                    depth -= 1; i += 2
                    if depth == 0 { return }
                } else { i += 1 }
            }
        }

        /// At the opening quote; `hashes` is the raw string's `#` count.
        mutating func string(hashes: Int) {
            let multiline = at(0, "\"") && at(1, "\"") && at(2, "\"")
            let quotes = multiline ? 3 : 1
            i += quotes
            out.append(UInt8(ascii: " "))
            while i < s.count {
                if at(0, "\\") {
                    var n = 0
                    while at(1 + n, "#") { n += 1 }
                    if n == hashes, at(1 + n, "(") {
                        i += 2 + n
                        out.append(UInt8(ascii: "("))
                        code(untilParen: true)
                        out.append(UInt8(ascii: ")"))
                    } else if n == hashes {
                        i += 2 + n  // an escape: `\"` does not end the string
                    } else {
                        i += 1  // a raw string's plain backslash
                    }
                } else if (0..<quotes).allSatisfy({ at($0, "\"") }), (0..<hashes).allSatisfy({ at(quotes + $0, "#") }) {
                    i += quotes + hashes
                    out.append(UInt8(ascii: " "))
                    return
                } else {
                    i += 1
                }
            }
        }
    }
}
