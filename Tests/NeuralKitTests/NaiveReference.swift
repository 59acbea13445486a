@testable import NeuralKit

/// Direct loop implementations, written from the definitions, as references for the kernels.
enum Naive {
    /// NHWC input [n, h, w, cin], HWIO kernel, bias; stride 1; TensorFlow's `same` padding
    /// (extra row/column at the end).
    static func conv(_ x: [Float], n: Int, h: Int, w: Int, cin: Int, kernel k: [Float], kh: Int, kw: Int,
                     cout: Int, bias: [Float], same: Bool) -> (y: [Float], oh: Int, ow: Int) {
        let padT = same ? (kh - 1) / 2 : 0, padL = same ? (kw - 1) / 2 : 0
        let oh = same ? h : h - kh + 1, ow = same ? w : w - kw + 1
        var y = [Float](repeating: 0, count: n * oh * ow * cout)
        for b in 0..<n { for oy in 0..<oh { for ox in 0..<ow { for co in 0..<cout {
            var s = Double(bias[co])
            for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy + ky - padT, ix = ox + kx - padL
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                for ci in 0..<cin {
                    s += Double(x[((b * h + iy) * w + ix) * cin + ci]) * Double(k[((ky * kw + kx) * cin + ci) * cout + co])
                }
            } }
            y[((b * oh + oy) * ow + ox) * cout + co] = Float(s)
        } } } }
        return (y, oh, ow)
    }

    /// Gradients of sum(conv(x) * g) by the chain rule written out per element.
    static func convBackward(_ x: [Float], n: Int, h: Int, w: Int, cin: Int, kernel k: [Float], kh: Int, kw: Int,
                             cout: Int, same: Bool, g: [Float]) -> (dx: [Float], dk: [Float], db: [Float]) {
        let padT = same ? (kh - 1) / 2 : 0, padL = same ? (kw - 1) / 2 : 0
        let oh = same ? h : h - kh + 1, ow = same ? w : w - kw + 1
        var dx = [Double](repeating: 0, count: x.count), dk = [Double](repeating: 0, count: k.count)
        var db = [Double](repeating: 0, count: cout)
        for b in 0..<n { for oy in 0..<oh { for ox in 0..<ow { for co in 0..<cout {
            let gv = Double(g[((b * oh + oy) * ow + ox) * cout + co])
            db[co] += gv
            for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy + ky - padT, ix = ox + kx - padL
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                for ci in 0..<cin {
                    let xi = ((b * h + iy) * w + ix) * cin + ci, ki = ((ky * kw + kx) * cin + ci) * cout + co
                    dx[xi] += gv * Double(k[ki])
                    dk[ki] += gv * Double(x[xi])
                }
            } }
        } } } }
        return (dx.map(Float.init), dk.map(Float.init), db.map(Float.init))
    }

    static func dense(_ x: [Float], n: Int, inputs: Int, kernel: [Float], bias: [Float], units: Int) -> [Float] {
        var y = [Float](repeating: 0, count: n * units)
        for b in 0..<n { for u in 0..<units {
            var s = Double(bias[u])
            for i in 0..<inputs { s += Double(x[b * inputs + i]) * Double(kernel[i * units + u]) }
            y[b * units + u] = Float(s)
        } }
        return y
    }

    static func maxPool(_ x: [Float], n: Int, h: Int, w: Int, c: Int) -> [Float] {
        let oh = h / 2, ow = w / 2
        var y = [Float](repeating: 0, count: n * oh * ow * c)
        for b in 0..<n { for oy in 0..<oh { for ox in 0..<ow { for ch in 0..<c {
            var m = -Float.infinity
            for dy in 0..<2 { for dx in 0..<2 { m = max(m, x[((b * h + 2 * oy + dy) * w + 2 * ox + dx) * c + ch]) } }
            y[((b * oh + oy) * ow + ox) * c + ch] = m
        } } } }
        return y
    }

    static func activation(_ a: Activation, _ x: [Float], width: Int) -> [Float] {
        switch a {
        case .linear: return x
        case .relu: return x.map { max(0, $0) }
        case .sigmoid: return x.map { Float(1 / (1 + exp(-Double($0)))) }
        case .softmax:
            var y = x
            for r in 0..<(x.count / width) {
                let row = x[r * width..<(r + 1) * width].map(Double.init)
                let m = row.max()!
                let e = row.map { exp($0 - m) }, s = e.reduce(0, +)
                for j in 0..<width { y[r * width + j] = Float(e[j] / s) }
            }
            return y
        }
    }
}

import Foundation
