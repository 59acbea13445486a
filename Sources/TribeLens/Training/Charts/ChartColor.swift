import CGtk
import Foundation

/// An sRGB colour with components in 0...1, as cairo takes them. Carries the lightness maths the
/// charts need (readable text on a coloured cell, a ramp that gets steadily darker).
struct ChartColor: Sendable, Equatable {
    var r: Double, g: Double, b: Double

    init(_ r: Double, _ g: Double, _ b: Double) { self.r = r; self.g = g; self.b = b }

    /// From 0xRRGGBB.
    init(hex: UInt32) {
        self.init(Double((hex >> 16) & 0xff) / 255, Double((hex >> 8) & 0xff) / 255, Double(hex & 0xff) / 255)
    }

    /// WCAG relative luminance (linear light, 0 black ... 1 white).
    var luminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// CIE L* (perceived lightness, 0...100) of the luminance.
    var lightness: Double {
        let y = luminance
        return y > 216.0 / 24389 ? 116 * cbrt(y) - 16 : y * 24389 / 27
    }

    /// The 8-bit value cairo stores for each component.
    var bytes: (r: UInt8, g: UInt8, b: UInt8) {
        func byte(_ c: Double) -> UInt8 { UInt8((min(max(c, 0), 1) * 255).rounded()) }
        return (byte(r), byte(g), byte(b))
    }

    /// Makes this colour cairo's source (`alpha` 0...1).
    func setSource(_ cr: OpaquePointer, alpha: Double = 1) {
        cairo_set_source_rgba(cr, r, g, b, alpha)
    }

    /// Straight line between two colours in sRGB (t clamped to 0...1).
    static func mix(_ a: ChartColor, _ b: ChartColor, _ t: Double) -> ChartColor {
        let t = min(max(t, 0), 1)
        return ChartColor(a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t)
    }
}
