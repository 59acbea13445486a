#!/usr/bin/env python3
"""Writes the large solid-colour photos docs/reliability.md measures peak memory on.

usage: bench/make_large_images.py OUTDIR [SIDE]
  grey.png, rgb.png, rgba8.png, rgba16.png: SIDE x SIDE (default 10000) solid-colour PNGs
  (the pixels compress to a few hundred kB, the decoded image does not).
A 100 MP JPEG is made with ImageMagick: convert -size 10000x10000 gradient:red-blue OUTDIR/big.jpg
"""
import os
import struct
import sys
import zlib


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def solid_png(path, side, colour_type, bit_depth, sample):
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    pixel = bytes(sample) * channels if bit_depth == 8 else b"".join(struct.pack(">H", s * 257) for s in sample) * channels
    row = b"\x00" + pixel[: channels * bit_depth // 8] * side
    compressor = zlib.compressobj(9)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, bit_depth, colour_type, 0, 0, 0)))
        data = bytearray()
        for _ in range(side):
            data += compressor.compress(row)
        data += compressor.flush()
        out.write(chunk(b"IDAT", bytes(data)))
        out.write(chunk(b"IEND", b""))


def main():
    folder = sys.argv[1]
    side = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    os.makedirs(folder, exist_ok=True)
    solid_png(os.path.join(folder, "grey.png"), side, 0, 8, [128])
    solid_png(os.path.join(folder, "rgb.png"), side, 2, 8, [200])
    solid_png(os.path.join(folder, "rgba8.png"), side, 6, 8, [120])
    solid_png(os.path.join(folder, "rgba16.png"), side, 6, 16, [120])


if __name__ == "__main__":
    main()
