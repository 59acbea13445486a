import BackendABI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens one shared library and checks its table against this host's ABI.
public enum PluginLoader {
    /// Loads `url` and returns the backend, or throws `PluginLoadError` with a message naming the
    /// file (and both versions when they differ).
    public static func load(_ url: URL) throws(PluginLoadError) -> PluginBackend {
        let path = url.path
        func refuse(_ reason: PluginLoadError.Reason, _ message: String) -> PluginLoadError {
            PluginLoadError(path: path, reason: reason, message: "plugin \(path): \(message)")
        }

        // A FIFO, socket or device is never opened: opening a FIFO blocks until a writer comes.
        if let status = PluginFileType.status(path), status.st_mode & S_IFMT != S_IFREG {
            throw refuse(.notRegularFile, "not a regular file (\(PluginFileType.name(status.st_mode))); skipped without opening it")
        }
        // Check the ELF magic first: dlopen's own message for a text file is cryptic, and a file
        // that is not ELF never reaches the dynamic loader.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw refuse(.unreadable, "cannot be read")
        }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        try? handle.close()
        guard magic == Data([0x7F, 0x45, 0x4C, 0x46]) else {
            throw refuse(.notELF, "not a shared library (no ELF header)")
        }

        // RTLD_LOCAL: two plugins export the same entry symbol; each must resolve to its own.
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw refuse(.dlopenFailed, "cannot be loaded: \(reason)")
        }
        guard let symbol = dlsym(library, PluginABI.entrySymbol) else {
            dlclose(library)
            throw refuse(.missingSymbol, "has no \(PluginABI.entrySymbol) symbol (not a TribeLens plugin, or built without exporting it)")
        }
        guard CodeAddress.isExecutable(symbol) else {
            dlclose(library)
            throw refuse(.notAFunction, "\(PluginABI.entrySymbol) is not a function (it points into data: a variable of that name?)")
        }
        let entry = unsafeBitCast(symbol, to: tribelens_backend_entry_fn.self)
        guard let table = entry() else {
            dlclose(library)
            throw refuse(.nullTable, "\(PluginABI.entrySymbol) returned NULL")
        }
        let t = table.pointee
        let host = "\(PluginABI.hostMajor).\(PluginABI.hostMinor)"
        let plugin = "\(t.abi_major).\(t.abi_minor)"
        guard t.abi_major == PluginABI.hostMajor else {
            dlclose(library)
            throw refuse(.wrongMajor, "built for plugin ABI \(plugin), this TribeLens supports ABI \(host) (major versions must match)")
        }
        guard Int(t.struct_size) >= PluginABI.minimumTableSize else {
            dlclose(library)
            throw refuse(.shortTable, "table is \(t.struct_size) bytes, ABI \(plugin) needs at least \(PluginABI.minimumTableSize) (host ABI \(host))")
        }
        var missing: [String] = []
        if t.create_model == nil { missing.append("create_model") }
        if t.class_count == nil { missing.append("class_count") }
        if t.train_epoch == nil { missing.append("train_epoch") }
        if t.evaluate == nil { missing.append("evaluate") }
        if t.predict == nil { missing.append("predict") }
        if t.save == nil { missing.append("save") }
        if t.load == nil { missing.append("load") }
        if t.free_model == nil { missing.append("free_model") }
        guard missing.isEmpty else {
            dlclose(library)
            throw refuse(.missingFunction, "table (ABI \(plugin), host \(host)) lacks required function(s): \(missing.joined(separator: ", "))")
        }
        // Bounded before String(cString:) reads them: a string without its NUL would run on.
        let texts = [("id", t.id), ("version", t.version), ("display_name", t.display_name), ("description", t.description),
                     ("default_hyperparameters_json", t.default_hyperparameters_json)]
        if let long = texts.first(where: { $0.1.map { strnlen($0, PluginABI.maximumTextBytes + 1) > PluginABI.maximumTextBytes } ?? false }) {
            dlclose(library)
            throw refuse(.badMetadata, "\(long.0) is longer than \(PluginABI.maximumTextBytes) bytes (or not NUL-terminated)")
        }
        guard let id = t.id.map({ String(cString: $0) }), isValidID(id) else {
            dlclose(library)
            throw refuse(.badMetadata, "id must be non-empty lowercase letters, digits and '-'")
        }
        // ABI 1.1 fields exist only in tables long enough to hold them.
        var input = InputSpec.legacy
        var givesSimilarities = false
        if Int(t.struct_size) >= PluginABI.v1_1TableSize {
            guard let declared = InputSpec(abiSide: t.input_side, abiKind: t.input_kind) else {
                dlclose(library)
                throw refuse(.badMetadata, "input \(t.input_side) px of kind \(t.input_kind) is not supported "
                             + "(sides 8-\(InputSpec.maximumSide), kinds 0 box crop, 1 aligned)")
            }
            input = declared
            givesSimilarities = t.predict_source != nil && t.capabilities & TL_CAP_SIMILARITIES != 0
        }
        let info = BackendInfo(
            id: id,
            version: t.version.map { String(cString: $0) } ?? "",
            displayName: t.display_name.map { String(cString: $0) } ?? id,
            description: t.description.map { String(cString: $0) } ?? "",
            defaultHyperParametersJSON: t.default_hyperparameters_json.map { String(cString: $0) } ?? "{}",
            abiMajor: Int(t.abi_major), abiMinor: Int(t.abi_minor), path: path, input: input,
            givesSimilarities: givesSimilarities)
        guard let json = info.defaultHyperParametersJSON.data(using: .utf8),
              (try? JSONSerialization.jsonObject(with: json)) is [String: Any] else {
            dlclose(library)
            throw refuse(.badMetadata, "default hyper-parameters are not a JSON object")
        }
        return PluginBackend(info: info, table: table, library: library)
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
    }
}
