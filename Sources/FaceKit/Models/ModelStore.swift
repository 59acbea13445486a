import Foundation
#if canImport(Glibc)
import Glibc
import SafeFiles
#endif

/// Saved models under `$XDG_DATA_HOME/tribelens/models/NAME/` (model.json + the backend's files).
///
/// Saving writes everything into a hidden temporary folder next to the models, syncs it, and
/// only then renames it into place (swapping atomically with an existing model of the same name),
/// so a crash or a full disk leaves either the old model or the new one, never a mix. Leftover
/// temporary folders of dead processes are removed on the next use.
public struct ModelStore: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// `$XDG_DATA_HOME/tribelens/models` (read from the environment on each call).
    public static func standard() -> ModelStore {
        ModelStore(root: AppPaths.dataHome.appendingPathComponent("models", isDirectory: true))
    }

    /// One line per model for `model list`.
    public struct Entry: Sendable {
        public var name: String
        public var manifest: ModelManifest?
        /// Why model.json could not be read, when `manifest` is nil.
        public var problem: String?
        public var isActive: Bool
    }

    private static let activeFile = ".active"

    // MARK: Names

    /// Model names become folder names: letters, digits, '.', '_', '-', not starting with '.'.
    public static func validate(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
        guard !name.isEmpty, name.count <= 100, allowed, !name.hasPrefix(".") else {
            throw ModelStoreError("invalid model name \"\(name)\": use 1-100 letters, digits, '.', '_' or '-', not starting with '.'")
        }
    }

    public func directory(of name: String) -> URL { root.appendingPathComponent(name, isDirectory: true) }

    // MARK: Saving

    /// Saves `model` as `name`, replacing an existing model of that name atomically.
    public func save(name: String, manifest: ModelManifest, model: any BackendModel) throws {
        try save(name: name, manifest: manifest) { try model.save(to: $0) }
    }

    /// The general form: `writeFiles` fills the (empty, temporary) model folder; the store adds
    /// model.json, syncs, and renames the folder into place.
    public func save(name: String, manifest: ModelManifest, writeFiles: (URL) throws -> Void) throws {
        try Self.validate(name: name)
        let fm = FileManager.default
        try createRoot()
        cleanUpStaleTemporaries()
        let temp = root.appendingPathComponent(".tmp-\(name)-\(getpid())-\(UUID().uuidString)", isDirectory: true)
        do {
            try fm.createDirectory(at: temp, withIntermediateDirectories: false)
            try writeFiles(temp)
            guard !fm.fileExists(atPath: temp.appendingPathComponent(ModelManifest.fileName).path) else {
                throw ModelStoreError("the backend wrote its own \(ModelManifest.fileName), which is reserved for the host")
            }
            try manifest.encoded().write(to: temp.appendingPathComponent(ModelManifest.fileName))
            FileSync.syncTree(temp)
            try install(temp, as: name)
        } catch {
            try? fm.removeItem(at: temp)
            if let error = error as? ModelStoreError { throw error }
            throw ModelStoreError("saving model \"\(name)\" failed: \(error)")
        }
    }

    private func install(_ temp: URL, as name: String) throws {
        let final = directory(of: name)
        let fm = FileManager.default
        if !fm.fileExists(atPath: final.path) {
            try rename(temp, final)
        } else if AtomicRename.exchange(temp, final) {
            // `temp` now holds the previous model.
            try? fm.removeItem(at: temp)
        } else {
            // No RENAME_EXCHANGE: park the old model under a name `recover()` knows, then move
            // the new one in. A crash between the two renames is repaired on the next use.
            let parked = root.appendingPathComponent(".old-\(name)-\(getpid())-\(UUID().uuidString)", isDirectory: true)
            try rename(final, parked)
            try rename(temp, final)
            try? fm.removeItem(at: parked)
        }
        FileSync.sync(root)
    }

    /// The store's errors are `ModelStoreError`s, whatever step failed.
    private func rename(_ from: URL, _ to: URL) throws(ModelStoreError) {
        do { try AtomicRename.rename(from, to: to) } catch { throw ModelStoreError(error.description) }
    }

    private func createRoot() throws {
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError("cannot create the model folder \(root.path): \(error.localizedDescription)")
        }
    }

    /// Removes temporaries of processes that no longer run, and puts back a model parked by a
    /// save that died between its two renames.
    public func cleanUpStaleTemporaries() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return }
        for entry in names {
            for prefix in [".tmp-", ".old-", ".trash-"] where entry.hasPrefix(prefix) {
                // .PREFIX-NAME-PID-UUID; NAME may contain '-', so parse from the end.
                let parts = entry.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count >= 7, let pid = Int32(parts[parts.count - 6]) else { continue }
                if pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
                let url = root.appendingPathComponent(entry)
                let name = parts[..<(parts.count - 6)].joined(separator: "-")
                if prefix == ".old-", !fm.fileExists(atPath: directory(of: name).path) {
                    try? rename(url, directory(of: name))
                } else {
                    try? fm.removeItem(at: url)
                }
            }
        }
    }

    // MARK: Reading

    public func manifest(of name: String) throws -> ModelManifest {
        try Self.validate(name: name)
        let url = directory(of: name).appendingPathComponent(ModelManifest.fileName)
        guard FileManager.default.fileExists(atPath: directory(of: name).path) else {
            throw ModelStoreError("no model named \"\(name)\" in \(root.path)")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelStoreError("model \"\(name)\": cannot read \(url.path)")
        }
        do { return try ModelManifest.decode(data) } catch let error as ModelStoreError {
            throw ModelStoreError("model \"\(name)\": \(error.message)")
        } catch let error as DecodingError {
            throw ModelStoreError("model \"\(name)\": \(url.path) is not a valid model.json (\(DecodingErrorText.describe(error)))")
        } catch {
            throw ModelStoreError("model \"\(name)\": \(url.path) is not a valid model.json (\(error))")
        }
    }

    /// Reads a model and rebuilds it through the backend that saved it.
    public func load(name: String, backend: (String) -> (any ModelBackend)?) throws -> (ModelManifest, any BackendModel) {
        cleanUpStaleTemporaries()
        let manifest = try manifest(of: name)
        guard let found = backend(manifest.backend.id) else {
            throw ModelStoreError("model \"\(name)\" needs backend \"\(manifest.backend.id)\" (version \(manifest.backend.version)), which is not installed; see `tribelens-cli plugins`")
        }
        let model: any BackendModel
        do {
            let configuration = try BackendResources.loadConfiguration(backend: found.info, hyperParameters: manifest.hyperParameters)
            model = try found.loadModel(from: directory(of: name), configuration: configuration)
        } catch {
            throw ModelStoreError("model \"\(name)\": backend \(manifest.backend.id) could not load it: \(error)")
        }
        guard model.classCount == manifest.classes.count else {
            throw ModelStoreError("model \"\(name)\": weights have \(model.classCount) classes but model.json lists \(manifest.classes.count)")
        }
        return (manifest, model)
    }

    public func list() -> [Entry] {
        cleanUpStaleTemporaries()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { !$0.hasPrefix(".") }
            .filter { (try? Self.validate(name: $0)) != nil }
            .sorted()
        let active = activeName()
        return names.map { name in
            do {
                return Entry(name: name, manifest: try manifest(of: name), problem: nil, isActive: name == active)
            } catch {
                return Entry(name: name, manifest: nil, problem: "\(error)", isActive: name == active)
            }
        }
    }

    // MARK: Deleting and the active model

    public func delete(name: String) throws {
        try Self.validate(name: name)
        let url = directory(of: name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ModelStoreError("no model named \"\(name)\" in \(root.path)")
        }
        let wasActive = activeName() == name
        // Rename first so the model disappears at once even if removing its files is slow or fails.
        let trash = root.appendingPathComponent(".trash-\(name)-\(getpid())-\(UUID().uuidString)", isDirectory: true)
        try rename(url, trash)
        try? FileManager.default.removeItem(at: trash)
        // Otherwise a later model saved under the same name would silently become active.
        if wasActive { try? FileManager.default.removeItem(at: root.appendingPathComponent(Self.activeFile)) }
    }

    /// Makes `name` the model `predict` and the app use when none is given.
    public func activate(name: String) throws {
        _ = try manifest(of: name)
        do {
            try AtomicFile.write(Data((name + "\n").utf8), to: root.appendingPathComponent(Self.activeFile))
        } catch {
            throw ModelStoreError(error.description)
        }
    }

    /// The active model's name, if set and still present.
    public func activeName() -> String? {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(Self.activeFile)) else { return nil }
        let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard (try? Self.validate(name: name)) != nil,
              FileManager.default.fileExists(atPath: directory(of: name).path) else { return nil }
        return name
    }
}
