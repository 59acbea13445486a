import BackendABI
import Foundation

/// A backend loaded from a plugin's C table. The library stays loaded for the life of the
/// process: models hold function pointers into it, and unloading code is never worth the risk.
public final class PluginBackend: ModelBackend, @unchecked Sendable {
    // @unchecked: the table is immutable C data, and the handle is never used after loading.
    public let info: BackendInfo
    let table: UnsafePointer<tribelens_backend>
    private let library: UnsafeMutableRawPointer

    init(info: BackendInfo, table: UnsafePointer<tribelens_backend>, library: UnsafeMutableRawPointer) {
        self.info = info
        self.table = table
        self.library = library
    }

    public func makeModel(_ configuration: ModelConfiguration) throws -> any BackendModel {
        guard configuration.classCount >= 2, configuration.classCount <= Int(UInt32.max) else {
            throw BackendError(.invalidArgument, "a model needs at least 2 classes, got \(configuration.classCount)")
        }
        var error = ErrorBuffer()
        let model = Self.withConfig(configuration) { config in
            error.withBuffer { table.pointee.create_model(config, $0, $1) }
        }
        guard let model else {
            throw BackendError(.invalidArgument, error.message(or: "\(info.id): create_model failed"))
        }
        return PluginModel(backend: self, handle: model)
    }

    public func loadModel(from directory: URL, configuration: ModelConfiguration?) throws -> any BackendModel {
        var error = ErrorBuffer()
        let loadWithConfig = hasV1_1Table ? table.pointee.load_with_config : nil
        let model = directory.path.withCString { path -> OpaquePointer? in
            guard let loadWithConfig else { return error.withBuffer { table.pointee.load(path, $0, $1) } }
            let config = configuration ?? ModelConfiguration(classCount: 0)
            return Self.withConfig(config) { c in error.withBuffer { loadWithConfig(path, c, $0, $1) } }
        }
        guard let model else {
            throw BackendError(.format, error.message(or: "\(info.id): cannot load a model from \(directory.path)"))
        }
        return PluginModel(backend: self, handle: model)
    }

    /// Whether the plugin's table has the ABI 1.1 fields.
    var hasV1_1Table: Bool { Int(table.pointee.struct_size) >= PluginABI.v1_1TableSize }

    private static func withConfig<R>(_ configuration: ModelConfiguration, _ body: (UnsafePointer<tl_model_config>) -> R) -> R {
        configuration.hyperParametersJSON.withCString { json in
            let cache = configuration.cacheDirectory?.path ?? ""
            return cache.withCString { cachePath in
                var config = tl_model_config(
                    struct_size: UInt32(MemoryLayout<tl_model_config>.size),
                    class_count: UInt32(clamping: configuration.classCount),
                    seed: configuration.seed,
                    input_scale: configuration.inputScale,
                    hyperparameters_json: json,
                    cache_directory: configuration.cacheDirectory == nil ? nil : cachePath,
                    host_abi_minor: PluginABI.hostMinor)
                return body(&config)
            }
        }
    }
}

/// The caller-owned error buffer every ABI call writes its message into.
struct ErrorBuffer {
    private var bytes = [CChar](repeating: 0, count: Int(TL_ERROR_CAPACITY))

    mutating func withBuffer<R>(_ body: (UnsafeMutablePointer<CChar>, Int) -> R) -> R {
        let count = bytes.count
        return bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!, count) }
    }

    func message(or fallback: String) -> String {
        let text = bytes.withUnsafeBufferPointer { buffer -> String in
            let end = buffer.firstIndex(of: 0) ?? buffer.count
            return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return text.isEmpty ? fallback : text
    }
}
