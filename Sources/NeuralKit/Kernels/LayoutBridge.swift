import CDNNL

/// A tensor seen in our layout (`user`: NHWC data, HWIO weights, pointing at our buffers) and in the
/// layout a primitive wants (`inner`). When they are the same, `inner` is the user memory and the
/// conversions do nothing; otherwise `inner` owns a buffer and reorders run in either direction.
final class LayoutBridge {
    let user: DNNLMemory
    let inner: DNNLMemory
    private let toInnerReorder: DNNLPrimitive?
    private let toUserReorder: DNNLPrimitive?

    enum Direction { case toInner, toUser, both }

    /// Only the needed directions are built: Winograd weight layouts can be reordered into but not
    /// out of.
    init(user userDesc: dnnl_memory_desc_t, inner innerDesc: dnnl_memory_desc_t, resources: KernelResources,
         direction: Direction) throws {
        let engine = resources.engine
        user = try DNNLMemory(desc: userDesc, engine: engine)
        if dnnlSameLayout(userDesc, innerDesc) {
            inner = user
            toInnerReorder = nil
            toUserReorder = nil
        } else {
            inner = try DNNLMemory(desc: innerDesc, engine: engine, allocate: true)
            toInnerReorder = direction == .toUser ? nil : try dnnlReorder(from: userDesc, to: innerDesc, resources: resources)
            toUserReorder = direction == .toInner ? nil : try dnnlReorder(from: innerDesc, to: userDesc, resources: resources)
        }
    }

    func pointUser(at p: UnsafeRawPointer) throws { try user.point(at: p) }

    func toInner(_ stream: DNNLStream) throws {
        try toInnerReorder?.execute(stream, [(DNNL_ARG_FROM, user), (DNNL_ARG_TO, inner)])
    }

    func toUser(_ stream: DNNLStream) throws {
        try toUserReorder?.execute(stream, [(DNNL_ARG_FROM, inner), (DNNL_ARG_TO, user)])
    }
}
