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

func dnnlDesc(_ dims: [Int], _ tag: dnnl_format_tag_t, _ type: dnnl_data_type_t = dnnl_f32) throws -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    let d = dims.map { Int64($0) }
    try dnnlCheck(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, type, tag), "memory_desc_init")
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

/// What the kernels of one shard share: the oneDNN stream and one scratchpad buffer sized for the
/// largest primitive. A shard runs one primitive at a time, so one buffer serves all of them
/// (VGG16's Winograd primitives each want hundreds of MB). oneDNN's default library-managed
/// scratchpad is not an option: it is shared and crashed when two shards ran at once.
public final class KernelResources {
    let engine: DNNLEngine
    let stream: DNNLStream
    private var scratchpadBytes = 0
    private var buffer: FloatBuffer?

    public init() throws {
        engine = try DNNLEngine.get()
        stream = try DNNLStream(engine: engine)
    }

    func reserveScratchpad(bytes: Int) { scratchpadBytes = max(scratchpadBytes, bytes) }

    /// Grows only when a primitive with a larger scratchpad was created since the last call.
    func scratchpad() -> UnsafeMutableRawPointer {
        if let b = buffer, b.count * 4 >= scratchpadBytes { return UnsafeMutableRawPointer(b.pointer) }
        buffer = nil
        let b = FloatBuffer(count: (scratchpadBytes + 3) / 4)
        buffer = b
        return UnsafeMutableRawPointer(b.pointer)
    }
}

final class DNNLPrimitive {
    let handle: dnnl_primitive_t
    private let resources: KernelResources
    /// Points into `resources`' shared scratchpad at each call (attributes from
    /// `dnnlUserScratchpadAttributes()`).
    private let scratchpad: DNNLMemory?

    init(_ pd: DNNLPrimitiveDesc, resources: KernelResources) throws {
        var p: dnnl_primitive_t?
        try dnnlCheck(dnnl_primitive_create(&p, pd.handle), "primitive_create")
        handle = p!
        self.resources = resources
        var md = pd.md(dnnl_query_scratchpad_md)
        let bytes = dnnl_memory_desc_get_size(&md)
        if bytes > 0 {
            scratchpad = try DNNLMemory(desc: md, engine: resources.engine)
            resources.reserveScratchpad(bytes: bytes)
        } else {
            scratchpad = nil
        }
    }

    func execute(_ stream: DNNLStream, _ args: [(Int32, DNNLMemory)]) throws {
        var a = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
        if let scratchpad {
            try scratchpad.point(at: resources.scratchpad())
            a.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpad.handle))
        }
        try dnnlCheck(dnnl_primitive_execute(handle, stream.handle, Int32(a.count), a), "primitive_execute")
        try dnnlCheck(dnnl_stream_wait(stream.handle), "stream_wait")
    }

    deinit { dnnl_primitive_destroy(handle) }
}

/// c = a b (+ bias, broadcast over rows), for 2-D or batched 3-D memories; transposes are views
/// (`dnnl_ba` / `dnnl_acb` descriptors over the same buffer).
func dnnlMatmul(_ a: DNNLMemory, _ b: DNNLMemory, _ c: DNNLMemory, bias: DNNLMemory? = nil,
                resources: KernelResources) throws -> DNNLPrimitive {
    var desc = dnnl_matmul_desc_t()
    if let bias {
        try dnnlCheck(dnnl_matmul_desc_init(&desc, &a.desc, &b.desc, &bias.desc, &c.desc), "matmul_desc_init")
    } else {
        try dnnlCheck(dnnl_matmul_desc_init(&desc, &a.desc, &b.desc, nil, &c.desc), "matmul_desc_init")
    }
    let attr = try dnnlUserScratchpadAttributes()
    defer { dnnl_primitive_attr_destroy(attr) }
    var pd: dnnl_primitive_desc_t?
    try dnnlCheck(dnnl_primitive_desc_create(&pd, &desc, attr, resources.engine.handle, nil), "matmul primitive_desc")
    return try DNNLPrimitive(DNNLPrimitiveDesc(pd!), resources: resources)
}

/// Primitive attributes asking for a user-provided scratchpad (see `DNNLPrimitive`).
func dnnlUserScratchpadAttributes() throws -> dnnl_primitive_attr_t {
    var attr: dnnl_primitive_attr_t?
    try dnnlCheck(dnnl_primitive_attr_create(&attr), "attr_create")
    try dnnlCheck(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "attr_set_scratchpad_mode")
    return attr!
}

func dnnlSameLayout(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
    var a = a, b = b
    return dnnl_memory_desc_equal(&a, &b) != 0
}

/// A reorder between two layouts of the same tensor (e.g. Keras HWIO weights <-> oneDNN blocked).
func dnnlReorder(from: dnnl_memory_desc_t, to: dnnl_memory_desc_t, resources: KernelResources) throws -> DNNLPrimitive {
    let engine = resources.engine
    var pd: dnnl_primitive_desc_t?
    var f = from, t = to
    let attr = try dnnlUserScratchpadAttributes()
    defer { dnnl_primitive_attr_destroy(attr) }
    try dnnlCheck(dnnl_reorder_primitive_desc_create(&pd, &f, engine.handle, &t, engine.handle, attr), "reorder_desc")
    return try DNNLPrimitive(DNNLPrimitiveDesc(pd!), resources: resources)
}
