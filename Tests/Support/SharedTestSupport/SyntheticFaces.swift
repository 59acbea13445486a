import FaceKit

/// Synthetic, learnable data: each class is a distinct colour layout (quadrant brightness per
/// channel) plus per-pixel noise, so a linear model on pooled pixels separates them.
public enum SyntheticFaces {
    public static func make(classes: Int, perClass: Int, seed: UInt64, noise: Int = 60) throws -> InMemorySamples {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var pixels: [UInt8] = []
        var labels: [Int32] = []
        pixels.reserveCapacity(classes * perClass * ImageLayout.bytes)
        for i in 0..<(classes * perClass) {
            let k = i % classes
            for y in 0..<64 {
                for x in 0..<64 {
                    let quadrant = (y / 32) * 2 + (x / 32)
                    for ch in 0..<3 {
                        // A per-class pattern: bit (quadrant*3+ch) of a class code decides bright/dark.
                        let code = (k &* 2_654_435_761 &+ 12345) >> 3
                        let bright = (code >> ((quadrant * 3 + ch) % 12)) & 1 == 1
                        let base = bright ? 180 : 70
                        let jitter = Int(next() % UInt64(2 * noise + 1)) - noise
                        pixels.append(UInt8(clamping: base + jitter))
                    }
                }
            }
            labels.append(Int32(k))
        }
        return try InMemorySamples(pixels: pixels, labels: labels)
    }
}
