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
        let model = configuration.hyperParametersJSON.withCString { json -> OpaquePointer? in
            var config = tl_model_config(
                struct_size: UInt32(MemoryLayout<tl_model_config>.size),
                class_count: UInt32(configuration.classCount),
                seed: configuration.seed,
                input_scale: configuration.inputScale,
                hyperparameters_json: json)
            return error.withBuffer { table.pointee.create_model(&config, $0, $1) }
        }
        guard let model else {
            throw BackendError(.invalidArgument, error.message(or: "\(info.id): create_model failed"))
        }
        return PluginModel(backend: self, handle: model)
    }

    public func loadModel(from directory: URL) throws -> any BackendModel {
        var error = ErrorBuffer()
        let model = directory.path.withCString { path in
            error.withBuffer { table.pointee.load(path, $0, $1) }
        }
        guard let model else {
            throw BackendError(.format, error.message(or: "\(info.id): cannot load a model from \(directory.path)"))
        }
        return PluginModel(backend: self, handle: model)
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
