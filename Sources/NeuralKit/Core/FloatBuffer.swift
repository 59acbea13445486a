// A fixed-size, 64-byte aligned float buffer owned by one plan or trainer. Allocated once per
// network/batch size so that training steps never allocate.
final class FloatBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: self.count * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: self.count)
        pointer.initialize(repeating: 0, count: self.count)
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    func zero() { pointer.update(repeating: 0, count: count) }

    func array(count n: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: n ?? count))
    }
}
