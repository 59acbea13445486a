import CDNNL

// Thin Swift wrappers over the oneDNN C API: the engine, memory descriptors, memory objects that
// point at our own buffers, and primitives. Everything is created once per plan.

func dnnlCheck(_ status: dnnl_status_t, _ what: String) throws {
    guard status == dnnl_success else {
        throw NeuralKitError.backend("oneDNN \(what) failed (status \(status.rawValue))")
    }
}

/// The CPU engine, shared by the process (oneDNN engines are thread-safe; streams are not, so each
/// plan has its own stream).
final class DNNLEngine: @unchecked Sendable {
    let handle: dnnl_engine_t

    private init(handle: dnnl_engine_t) { self.handle = handle }

    static let shared: Result<DNNLEngine, NeuralKitError> = {
        var e: dnnl_engine_t?
        guard dnnl_engine_create(&e, dnnl_cpu, 0) == dnnl_success, let e else {
            return .failure(.backend("oneDNN could not create a CPU engine"))
        }
        return .success(DNNLEngine(handle: e))
    }()

    static func get() throws -> DNNLEngine { try shared.get() }
}

final class DNNLStream {
    let handle: dnnl_stream_t

    init(engine: DNNLEngine) throws {
        var s: dnnl_stream_t?
        try dnnlCheck(dnnl_stream_create(&s, engine.handle, UInt32(dnnl_stream_default_flags.rawValue)), "stream_create")
        handle = s!
    }

    deinit { dnnl_stream_destroy(handle) }
}

func dnnlDesc(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    let d = dims.map { Int64($0) }
    try dnnlCheck(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, dnnl_f32, tag), "memory_desc_init")
    return md
}

/// A oneDNN memory object whose data pointer we set to one of our buffers before each call.
final class DNNLMemory {
    let handle: dnnl_memory_t
    var desc: dnnl_memory_desc_t
    /// Set when oneDNN wants a layout we do not use (blocked weights): we own the storage.
    let ownStorage: FloatBuffer?

    init(desc: dnnl_memory_desc_t, engine: DNNLEngine, allocate: Bool = false) throws {
        self.desc = desc
        var m: dnnl_memory_t?
        try dnnlCheck(dnnl_memory_create(&m, &self.desc, engine.handle, nil), "memory_create")
        handle = m!
        if allocate {
            let bytes = dnnl_memory_desc_get_size(&self.desc)
            let buffer = FloatBuffer(count: (bytes + 3) / 4)
            ownStorage = buffer
            try dnnlCheck(dnnl_memory_set_data_handle(handle, buffer.pointer), "memory_set_data_handle")
        } else {
            ownStorage = nil
        }
    }

    func point(at p: UnsafeRawPointer) throws {
        try dnnlCheck(dnnl_memory_set_data_handle(handle, UnsafeMutableRawPointer(mutating: p)), "memory_set_data_handle")
    }

    deinit { dnnl_memory_destroy(handle) }
}

final class DNNLPrimitiveDesc {
    let handle: dnnl_primitive_desc_t
    init(_ h: dnnl_primitive_desc_t) { handle = h }
    deinit { dnnl_primitive_desc_destroy(handle) }

    func md(_ what: dnnl_query_t) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(handle, what, 0)!.pointee
    }

    var implementation: String {
        var s: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(handle, dnnl_query_impl_info_str, 0, &s) == dnnl_success, let s else {
            return "?"
        }
        return String(cString: s)
    }
}

final class DNNLPrimitive {
    let handle: dnnl_primitive_t

    init(_ pd: DNNLPrimitiveDesc) throws {
        var p: dnnl_primitive_t?
        try dnnlCheck(dnnl_primitive_create(&p, pd.handle), "primitive_create")
        handle = p!
    }

    func execute(_ stream: DNNLStream, _ args: [(Int32, DNNLMemory)]) throws {
        let a = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
        try dnnlCheck(dnnl_primitive_execute(handle, stream.handle, Int32(a.count), a), "primitive_execute")
        try dnnlCheck(dnnl_stream_wait(stream.handle), "stream_wait")
    }

    deinit { dnnl_primitive_destroy(handle) }
}

func dnnlSameLayout(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
    var a = a, b = b
    return dnnl_memory_desc_equal(&a, &b) != 0
}

/// A reorder between two layouts of the same tensor (e.g. Keras HWIO weights <-> oneDNN blocked).
func dnnlReorder(from: dnnl_memory_desc_t, to: dnnl_memory_desc_t, engine: DNNLEngine) throws -> DNNLPrimitive {
    var pd: dnnl_primitive_desc_t?
    var f = from, t = to
    try dnnlCheck(dnnl_reorder_primitive_desc_create(&pd, &f, engine.handle, &t, engine.handle, nil), "reorder_desc")
    return try DNNLPrimitive(DNNLPrimitiveDesc(pd!))
}
