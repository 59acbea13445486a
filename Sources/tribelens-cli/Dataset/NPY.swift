import ArgumentParser
import Foundation
import SafeFiles

/// The NumPy .npy format, version 1.0: magic, header length, a Python dict literal, raw data.
enum NPY {
    static func write(_ bytes: [UInt8], shape: [Int], dtype: String, to url: URL) throws {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': (\(dims)), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        data.append(contentsOf: bytes)
        try AtomicFile.write(data, to: url)
    }
}

extension NPY {
    /// An array read back from a version 1.0 or 2.0 .npy file: its raw little-endian bytes, shape
    /// and dtype ('|u1', '<i4', '<i8', '<f4'). Fortran order and other dtypes are refused by name.
    struct Loaded {
        var bytes: [UInt8]
        var shape: [Int]
        var dtype: String
    }

    static func read(_ url: URL) throws -> Loaded {
        let data = try Data(contentsOf: url)
        func fail(_ why: String) -> Error { ValidationError("\(url.path): not a NumPy .npy file we can read: \(why)") }
        let magic: [UInt8] = [0x93] + Swift.Array("NUMPY".utf8)
        guard data.count >= 10, Swift.Array(data.prefix(6)) == magic else { throw fail("bad magic") }
        let major = data[6]
        let headerLength: Int, start: Int
        switch major {
        case 1: headerLength = Int(data[8]) | Int(data[9]) << 8; start = 10
        case 2, 3:
            guard data.count >= 12 else { throw fail("truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(data[8 + $1]) << (8 * $1) }; start = 12
        default: throw fail("version \(major)")
        }
        guard data.count >= start + headerLength,
              let header = String(data: data.subdata(in: start..<start + headerLength), encoding: .utf8) else {
            throw fail("truncated header")
        }
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let d = field("descr"), let q1 = d.firstIndex(of: "'"),
              let q2 = d[d.index(after: q1)...].firstIndex(of: "'") else { throw fail("no dtype") }
        let dtype = String(d[d.index(after: q1)..<q2])
        guard field("fortran_order")?.hasPrefix("False") == true else { throw fail("Fortran order") }
        guard let s = field("shape"), let open = s.firstIndex(of: "("), let close = s.firstIndex(of: ")") else {
            throw fail("no shape")
        }
        let shape = s[s.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.compactMap { Int($0) }
        let itemSize: Int
        switch dtype {
        case "|u1": itemSize = 1
        case "<i4", "<f4": itemSize = 4
        case "<i8": itemSize = 8
        default: throw fail("dtype \(dtype) (want |u1, <i4, <i8 or <f4)")
        }
        let bytes = shape.reduce(1, *) * itemSize
        guard data.count - start - headerLength == bytes else {
            throw fail("\(data.count - start - headerLength) data bytes for shape \(shape) of \(dtype)")
        }
        return Loaded(bytes: Swift.Array(data.suffix(from: start + headerLength)), shape: shape, dtype: dtype)
    }

    /// Integer labels from a '<i4' or '<i8' array.
    static func labels(_ a: Loaded, file: URL) throws -> [Int32] {
        switch a.dtype {
        case "<i4":
            return stride(from: 0, to: a.bytes.count, by: 4).map { i in
                Int32(bitPattern: UInt32(a.bytes[i]) | UInt32(a.bytes[i + 1]) << 8 | UInt32(a.bytes[i + 2]) << 16 | UInt32(a.bytes[i + 3]) << 24)
            }
        case "<i8":
            return stride(from: 0, to: a.bytes.count, by: 8).map { i in
                Int32(truncatingIfNeeded: (0..<8).reduce(UInt64(0)) { $0 | UInt64(a.bytes[i + $1]) << (8 * UInt64($1)) })
            }
        default:
            throw ValidationError("\(file.path): labels must be int32 or int64, got \(a.dtype)")
        }
    }
}
