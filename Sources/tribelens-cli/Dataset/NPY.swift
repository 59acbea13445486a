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
