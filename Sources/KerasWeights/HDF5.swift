import CHDF5
import Foundation

/// Thin, typed access to the libhdf5 calls the reader and writer need. Debian's libhdf5 is the
/// serial (not thread-safe) build, so every use goes through `HDF5.locked`.
enum HDF5 {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var silenced = false

    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        if !silenced {
            tl_h5_silence()
            silenced = true
        }
        return try body()
    }

    /// HDF5's own file signature, at offset 0 (or a power-of-two user-block offset).
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    static func hasSignature(_ url: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return false }
        defer { try? handle.close() }
        var offset: UInt64 = 0
        while offset <= 1 << 20 {
            guard (try? handle.seek(toOffset: offset)) != nil,
                  let bytes = try? handle.read(upToCount: 8), bytes.count == 8 else { return false }
            if [UInt8](bytes) == signature { return true }
            offset = offset == 0 ? 512 : offset * 2
        }
        return false
    }

    /// Names held by a string attribute (fixed-length or variable-length strings, scalar or 1-D).
    static func stringsAttribute(_ object: hid_t, _ name: String) -> [String]? {
        guard H5Aexists(object, name) > 0 else { return nil }
        let attribute = H5Aopen(object, name, tl_h5p_default())
        guard attribute >= 0 else { return nil }
        defer { H5Aclose(attribute) }
        let fileType = H5Aget_type(attribute)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING else { return nil }
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        // Scalar: one string; simple: one per point (h5py writes an empty list as 0 points).
        let count = H5Sget_simple_extent_type(space) == H5S_SCALAR ? 1 : Int(H5Sget_simple_extent_npoints(space))
        guard count < 1_000_000 else { return nil }
        if count == 0 { return [] }

        if H5Tis_variable_str(fileType) > 0 {
            let memType = H5Tcopy(tl_h5t_c_s1())
            defer { H5Tclose(memType) }
            H5Tset_size(memType, tl_h5t_variable())
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Aread(attribute, memType, &pointers) >= 0 else { return nil }
            defer { H5Dvlen_reclaim(memType, space, tl_h5p_default(), &pointers) }
            return pointers.map { $0.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? "" }
        }
        let width = H5Tget_size(fileType)
        guard width > 0, width < 1 << 16 else { return nil }
        var bytes = [UInt8](repeating: 0, count: width * count)
        guard H5Aread(attribute, fileType, &bytes) >= 0 else { return nil }
        return (0..<count).map { i in
            let slice = bytes[i * width..<(i + 1) * width].prefix { $0 != 0 }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    static func writeStringsAttribute(_ object: hid_t, _ name: String, _ values: [String]) -> Bool {
        let width = max(1, values.map { $0.utf8.count }.max() ?? 1)
        var bytes = [UInt8](repeating: 0, count: width * values.count)
        for (i, v) in values.enumerated() { for (j, b) in v.utf8.enumerated() { bytes[i * width + j] = b } }
        let type = H5Tcopy(tl_h5t_c_s1())
        defer { H5Tclose(type) }
        H5Tset_size(type, width)
        var dims = [hsize_t(values.count)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(object, name, type, space, tl_h5p_default(), tl_h5p_default())
        guard attribute >= 0 else { return false }
        defer { H5Aclose(attribute) }
        return H5Awrite(attribute, type, bytes) >= 0
    }
}
