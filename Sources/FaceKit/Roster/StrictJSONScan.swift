import Foundation

/// A pass over JSON text before it is decoded, for what Foundation's readers let through:
/// a key given twice in one object (JSONDecoder silently keeps one of them), strings long enough
/// to make later folding slow, and nesting deep enough to exhaust a recursive reader's stack.
/// It reports the first such problem with the key path in `RosterError`'s form
/// (`members[3].id`). Syntax errors are not its business: on one it stops and reports nothing,
/// so the decoder's own message (with a line and column) is what people see.
struct StrictJSONScan {
    struct Problem: Equatable, CustomStringConvertible {
        /// Key path such as `members[0].id`; empty for the top level.
        var location: String
        var problem: String
        var description: String { location.isEmpty ? problem : "\(location): \(problem)" }
    }

    /// Longest string (key or value) in bytes of UTF-8 as written, escapes included.
    var maximumStringBytes: Int
    /// Deepest nesting of objects and arrays.
    var maximumDepth: Int

    private enum PathItem { case index(Int), key(String) }

    /// One open object or array; for objects the keys seen so far.
    private struct Container {
        var isObject: Bool
        var keys: Set<String> = []
        var count = 0
    }

    private struct SyntaxStop: Error {}

    func check(_ data: Data) -> Problem? {
        let bytes = [UInt8](data)
        var scanner = Scanner(bytes: bytes, limits: self)
        do {
            try scanner.run()
            return nil
        } catch let problem as Problem {
            return problem
        } catch {
            return nil  // a syntax error: the decoder describes it
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        let limits: StrictJSONScan
        var position = 0
        var stack: [Container] = []
        var path: [PathItem] = []

        init(bytes: [UInt8], limits: StrictJSONScan) {
            self.bytes = bytes
            self.limits = limits
        }

        var location: String {
            var out = ""
            for item in path {
                switch item {
                case .index(let i): out += "[\(i)]"
                case .key(let k): out += out.isEmpty ? k : ".\(k)"
                }
            }
            return out
        }

        mutating func run() throws {
            // A UTF-8 byte order mark is accepted by Foundation; skip it the same way.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
            try value()
            skipSpace()
            guard position == bytes.count else { throw SyntaxStop() }
        }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        /// One value, iteratively for containers so that depth costs no native stack.
        mutating func value() throws {
            skipSpace()
            try scalarOrOpen()
            while !stack.isEmpty {
                skipSpace()
                guard position < bytes.count else { throw SyntaxStop() }
                let byte = bytes[position]
                let isObject = stack[stack.count - 1].isObject
                if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    close()
                    continue
                }
                if stack[stack.count - 1].count > 0 {
                    guard byte == UInt8(ascii: ",") else { throw SyntaxStop() }
                    position += 1
                    skipSpace()
                }
                let index = stack[stack.count - 1].count
                stack[stack.count - 1].count += 1
                if isObject {
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw SyntaxStop() }
                    let key = try string(decoding: true)
                    path.append(.key(key))
                    guard stack[stack.count - 1].keys.insert(key).inserted else {
                        throw Problem(location: location, problem: "duplicate key \"\(key)\" (JSON readers disagree on which value counts)")
                    }
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw SyntaxStop() }
                    position += 1
                    skipSpace()
                } else {
                    path.append(.index(index))
                }
                try scalarOrOpen()
            }
        }

        /// Ends the innermost container and the path item that led into it.
        /// Between two members `path` has one item fewer than `stack`, during a member as many.
        mutating func close() {
            stack.removeLast()
            if !path.isEmpty { path.removeLast() }
        }

        /// A scalar is consumed whole (and its path item dropped); `{` or `[` opens a container.
        mutating func scalarOrOpen() throws {
            guard position < bytes.count else { throw SyntaxStop() }
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < limits.maximumDepth else {
                    throw Problem(location: location, problem: "nested deeper than \(limits.maximumDepth) levels")
                }
                stack.append(Container(isObject: bytes[position] == UInt8(ascii: "{")))
                position += 1
                return
            case UInt8(ascii: "\""):
                _ = try string(decoding: false)
            default:
                // Numbers, true, false, null: the decoder checks their form.
                let start = position
                while position < bytes.count, !",]} \t\r\n".utf8.contains(bytes[position]) { position += 1 }
                guard position > start else { throw SyntaxStop() }
            }
            if !stack.isEmpty { path.removeLast() }
        }

        /// Reads a string token starting at its opening quote; the text only for keys.
        mutating func string(decoding: Bool) throws -> String {
            let start = position
            position += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            while true {
                guard position < bytes.count else { throw SyntaxStop() }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { break }
                // Content so far is position - start - 1 bytes, and this byte is one more.
                guard position - start <= limits.maximumStringBytes else {
                    throw Problem(location: location, problem: "a string longer than \(limits.maximumStringBytes) bytes")
                }
                guard byte >= 0x20 else { throw SyntaxStop() }  // raw control characters are invalid JSON
                if byte == UInt8(ascii: "\\") {
                    guard position + 1 < bytes.count else { throw SyntaxStop() }
                    let escape = bytes[position + 1]
                    position += 2
                    guard decoding else {
                        if escape == UInt8(ascii: "u") { position += 4 }
                        continue
                    }
                    if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw = [] }
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{c}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count,
                           bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                            position += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw SyntaxStop() }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw SyntaxStop() }  // a lone surrogate
                        scalars.append(scalar)
                    default: throw SyntaxStop()
                    }
                    continue
                }
                if decoding { raw.append(byte) }
                position += 1
            }
            position += 1  // the closing quote
            guard decoding else { return "" }
            if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars) }
            return String(scalars)
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else { throw SyntaxStop() }
            position += 4
            return code
        }
    }
}

extension StrictJSONScan.Problem: Error {}
