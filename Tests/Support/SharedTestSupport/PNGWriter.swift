import Foundation

/// Writes minimal PNG files byte by byte (stored deflate blocks, no compression), so tests can
/// make exactly the colour types and bit depths a scrape contains — palette, grey, grey+alpha,
/// RGBA, 16-bit — independently of the decoder under test.
public enum PNGWriter {
    public enum ColourType: UInt8 { case grey = 0, rgb = 2, palette = 3, greyAlpha = 4, rgba = 6 }

    /// `rows` holds each scanline's raw samples (without the filter byte).
    public static func png(width: Int, height: Int, bitDepth: UInt8, colour: ColourType, rows: [[UInt8]],
                    palette: [UInt8]? = nil, transparency: [UInt8]? = nil) -> Data {
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.append(be32(UInt32(width)))
        ihdr.append(be32(UInt32(height)))
        ihdr.append(contentsOf: [bitDepth, colour.rawValue, 0, 0, 0])
        out.append(chunk("IHDR", ihdr))
        if let palette { out.append(chunk("PLTE", Data(palette))) }
        if let transparency { out.append(chunk("tRNS", Data(transparency))) }
        let raw: [UInt8] = rows.flatMap { row -> [UInt8] in [0] + row }  // filter type 0 per row
        out.append(chunk("IDAT", zlibStored(raw)))
        out.append(chunk("IEND", Data()))
        return out
    }

    /// Just a signature and an IHDR claiming `width` x `height`: a header-only "bomb".
    public static func headerOnly(width: UInt32, height: UInt32) -> Data {
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.append(be32(width))
        ihdr.append(be32(height))
        ihdr.append(contentsOf: [8, 2, 0, 0, 0])
        out.append(chunk("IHDR", ihdr))
        return out
    }

    public static func be32(_ v: UInt32) -> Data { Data([UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]) }

    public static func chunk(_ type: String, _ body: Data) -> Data {
        var c = be32(UInt32(body.count))
        let typed = Data(type.utf8) + body
        c.append(typed)
        c.append(be32(crc32(typed)))
        return c
    }

    public static func zlibStored(_ raw: [UInt8]) -> Data {
        var z = Data([0x78, 0x01])
        var offset = 0
        repeat {
            let n = min(65_535, raw.count - offset)
            let final: UInt8 = offset + n == raw.count ? 1 : 0
            z.append(final)
            z.append(contentsOf: [UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)])
            z.append(contentsOf: raw[offset..<offset + n])
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        z.append(be32(b << 16 | a))
        return z
    }

    public static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
