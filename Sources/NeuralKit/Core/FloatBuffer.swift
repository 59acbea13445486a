#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A fixed-size, 64-byte aligned float buffer owned by one plan or trainer. Allocated once per
// network/batch size so that training steps never allocate.
//
// Large buffers come straight from an anonymous mmap rather than malloc: the kernel hands out
// zero pages lazily, so pages a buffer never writes (scratchpads and gradient buffers are sized
// for the largest layer) cost no memory, and munmap returns them at once, where glibc would keep
// freed blocks in its arenas (VGG16's plans are hundreds of MB; docs/vgg16-transfer.md, memory).
final class FloatBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>
    /// Bytes mapped with mmap, or 0 when the buffer came from the allocator.
    private let mappedBytes: Int

    /// Buffers at least this big are mapped (smaller ones would waste most of a page).
    static let mmapThreshold = 256 * 1024

    init(count: Int) {
        self.count = max(count, 1)
        let bytes = self.count * MemoryLayout<Float>.stride
        if bytes >= Self.mmapThreshold,
           let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED {
            // Page-aligned and already zero: no initialising pass that would touch every page.
            mappedBytes = bytes
            pointer = p.bindMemory(to: Float.self, capacity: self.count)
        } else {
            mappedBytes = 0
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            pointer = raw.bindMemory(to: Float.self, capacity: self.count)
            pointer.initialize(repeating: 0, count: self.count)
        }
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        if mappedBytes > 0 {
            munmap(UnsafeMutableRawPointer(pointer), mappedBytes)
        } else {
            UnsafeMutableRawPointer(pointer).deallocate()
        }
    }

    /// Whether the storage is an mmap of its own (tests check that large buffers are).
    var isMapped: Bool { mappedBytes > 0 }

    func zero() { pointer.update(repeating: 0, count: count) }

    func array(count n: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: n ?? count))
    }
}
