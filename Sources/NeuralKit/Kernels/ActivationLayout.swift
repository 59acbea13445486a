import CDNNL

/// How a plan stores an activation, and its gradient, between two layers. `blocked16` is oneDNN's
/// nChw16c: [n][c / 16][h][w][16]. Winograd convolutions compute in that layout, so passing it
/// from layer to layer saves a reorder on each side of every such convolution.
enum ActivationLayout: Sendable, Equatable {
    case nhwc, blocked16

    var dnnlTag: dnnl_format_tag_t { self == .nhwc ? dnnl_nhwc : dnnl_nChw16c }

    /// Offset of pixel (n, y, x), channels 16g..<16g+16, in an [n, h, w, c] tensor (c % 16 == 0
    /// for `blocked16`). Within those 16 channels the stride is 1 in both layouts.
    @inline(__always)
    func offset(n: Int, group g: Int, y: Int, x: Int, height h: Int, width w: Int, channels c: Int) -> Int {
        switch self {
        case .nhwc: return ((n * h + y) * w + x) * c + g * 16
        case .blocked16: return (((n * (c / 16) + g) * h + y) * w + x) * 16
        }
    }

    /// Distance between horizontally adjacent pixels.
    @inline(__always) func pixelStride(channels c: Int) -> Int { self == .nhwc ? c : 16 }
}
