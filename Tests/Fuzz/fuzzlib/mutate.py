"""Byte-level mutations shared by every family: flips, truncation, splicing, runs of special
bytes, and integer fields set to extremes. Each takes a random.Random so a run is reproducible."""

import struct

EXTREME_U32 = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF]
EXTREME_U64 = [0, 1, 7, 8, 0x7FFFFFFF, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF]


def flip_bits(rng, data, count=None):
    if not data:
        return data
    out = bytearray(data)
    for _ in range(count or rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_bytes(rng, data):
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(out))
        out[i] = rng.choice([0x00, 0xFF, 0x7F, 0x80, 0x01, rng.randrange(256)])
    return bytes(out)


def truncate(rng, data):
    if len(data) < 2:
        return b""
    # Mostly near the start, where headers are.
    cut = rng.choice([rng.randrange(len(data)), rng.randrange(min(len(data), 256)), len(data) - 1])
    return data[:cut]


def delete_range(rng, data):
    if len(data) < 2:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.choice([1, 2, 4, 16, 256, rng.randrange(1, len(data) + 1)]))
    return data[:a] + data[b:]


def duplicate_range(rng, data):
    if not data:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 512))
    return data[:b] + data[a:b] * rng.choice([1, 2, 16]) + data[b:]


def insert_bytes(rng, data):
    i = rng.randrange(len(data) + 1)
    junk = rng.choice([b"\x00" * rng.randint(1, 64), b"\xff" * rng.randint(1, 64),
                       bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))])
    return data[:i] + junk + data[i:]


def splice(rng, data, other):
    if not data or not other:
        return data or other
    a = rng.randrange(len(data))
    b = rng.randrange(len(other))
    return data[:a] + other[b:]


def extreme_int(rng, data, offset=None):
    """Overwrites a 2, 4 or 8-byte integer, big or little endian, with an extreme value."""
    if len(data) < 8:
        return set_bytes(rng, data)
    width = rng.choice([2, 4, 4, 8])
    i = offset if offset is not None else rng.randrange(len(data) - width + 1)
    i = min(max(0, i), len(data) - width)
    value = rng.choice(EXTREME_U64 if width == 8 else EXTREME_U32) & ((1 << (8 * width)) - 1)
    packed = value.to_bytes(width, rng.choice(["big", "little"]))
    return data[:i] + packed + data[i + width:]


GENERIC = [flip_bits, set_bytes, truncate, delete_range, duplicate_range, insert_bytes, extreme_int]


def generic(rng, data, others=()):
    """One to three generic mutations, sometimes a splice with another seed."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if others and rng.random() < 0.1:
            data = splice(rng, data, rng.choice(others))
        else:
            data = rng.choice(GENERIC)(rng, data)
    return data


def u32be(value):
    return struct.pack(">I", value & 0xFFFFFFFF)
