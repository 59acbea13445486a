"""Seed files for the families. Images and model folders come from ../shared/data (never copied
into the repository) through the real CLI: a small dataset of LFW photos, and a model of each
fast backend trained on it (scratch-cnn, sface); rosters and Keras files from the repository;
plugins from the build. Made once per run in the work folder."""

import json
import os
import shutil
import subprocess
import zlib
import struct

PEOPLE = ["George_Robertson", "Gray_Davis", "Bill_Clinton"]
PHOTOS_PER_PERSON = 8


def env_for(home, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_") and k != "TRIBELENS_PLUGIN_PATH"}
    env.update({"HOME": home, "XDG_DATA_HOME": os.path.join(home, "data"), "XDG_CACHE_HOME": os.path.join(home, "cache"),
                "XDG_CONFIG_HOME": os.path.join(home, "config"), "LC_ALL": "C.UTF-8", "OMP_NUM_THREADS": "1"})
    env.update(extra or {})
    return env


def seed_roster():
    members = [{"id": p.lower().replace("_", "-"), "ja": p.replace("_", " "), "romaji": p.replace("_", " "), "groups": ["g"]}
               for p in PEOPLE]
    return {"schema": 1, "id": "fuzz", "name": "Fuzz seed", "groups": [{"id": "g", "name": "Group", "short": "G"}],
            "members": members}


def _cli(cli, args, env, log):
    result = subprocess.run([cli] + args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900)
    log.write(f"$ tribelens-cli {' '.join(args)}\n{result.stderr[-2000:]}\n")
    if result.returncode != 0:
        raise RuntimeError(f"seed step failed: tribelens-cli {' '.join(args)}\n{result.stderr[-2000:]}")
    return result.stdout


def model_home(cli, work, shared):
    """A home with dataset 'seed', models 'scratch' and 'sface', and a photo: the seed of the
    model, safetensors and Keras families. None without ../shared/data."""
    home = os.path.join(work, "seed-home")
    done = os.path.join(home, ".done")
    if os.path.exists(done):
        return home
    lfw = os.path.join(shared, "data", "lfw-dev38")
    sface = os.path.join(shared, "models", "face_recognition_sface_2021dec_dq.onnx")
    if not os.path.isdir(lfw):
        return None
    shutil.rmtree(home, ignore_errors=True)
    photos = os.path.join(home, "photos")
    for person in PEOPLE:
        os.makedirs(os.path.join(photos, person))
        for name in sorted(os.listdir(os.path.join(lfw, person)))[:PHOTOS_PER_PERSON]:
            shutil.copy(os.path.join(lfw, person, name), os.path.join(photos, person, name))
    with open(os.path.join(home, "roster.json"), "w") as f:
        json.dump(seed_roster(), f)
    shutil.copy(os.path.join(photos, PEOPLE[0], sorted(os.listdir(os.path.join(photos, PEOPLE[0])))[0]),
                os.path.join(home, "photo.jpg"))
    env = env_for(home)
    with open(os.path.join(work, "seed-log.txt"), "w") as log:
        _cli(cli, ["dataset", "build", "--photos", photos, "--roster", os.path.join(home, "roster.json"), "--name", "seed",
                   "--minimum-per-member", "1"], env, log)
        _cli(cli, ["train", "--dataset", "seed", "--backend", "scratch-cnn", "--model", "scratch", "--epochs", "1",
                   "--no-augment"], env, log)
        if os.path.exists(sface):
            _cli(cli, ["train", "--dataset", "seed", "--backend", "sface", "--model", "sface", "--epochs", "2",
                       "--sface-model", sface], env, log)
    open(done, "w").close()
    return home


SEED_MODELS = ["scratch", "sface"]


def models_in(home):
    root = os.path.join(home, "data", "tribelens", "models")
    return [m for m in SEED_MODELS if os.path.isdir(os.path.join(root, m))]


def shared_images(shared, limit_bytes=64_000):
    """Small photos of each kind in ../shared/data: JPEG, palette, grey+alpha, RGBA PNG."""
    picked = []
    for sub in ["messy-scrape", "lfw-dev38", "group-photos", "kpop-crops14"]:
        root = os.path.join(shared, "data", sub)
        for dirpath, _, files in sorted(os.walk(root)):
            for name in sorted(files):
                path = os.path.join(dirpath, name)
                if os.path.getsize(path) <= limit_bytes:
                    picked.append(path)
    kinds = {}
    for path in picked:
        with open(path, "rb") as f:
            head = f.read(32)
        kind = ("png", head[25]) if head.startswith(b"\x89PNG") else ("jpeg", 0) if head.startswith(b"\xff\xd8") else None
        if kind and len(kinds.setdefault(kind, [])) < 3:
            kinds[kind].append(path)
    return [p for paths in kinds.values() for p in paths]


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, color_type=2, depth=8, interlace=0):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    row = bytes((x * 37 + y) & 0xFF for y in range(1) for x in range(width * channels * depth // 8))
    raw = b"".join(b"\x00" + row for _ in range(height))
    chunks = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, interlace))
    if color_type == 3:
        chunks += _png_chunk(b"PLTE", bytes(range(48)))
    return b"\x89PNG\r\n\x1a\n" + chunks + _png_chunk(b"IDAT", zlib.compress(raw)) + _png_chunk(b"IEND", b"")


def bmp(width, height):
    row = (width * 3 + 3) & ~3
    pixels = bytes((i * 7) & 0xFF for i in range(row * height))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def tiff(width, height):
    pixels = bytes((i * 5) & 0xFF for i in range(width * height * 3))
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 2),
               (273, 4, 1, 8), (277, 3, 1, 3), (278, 4, 1, height), (279, 4, 1, len(pixels))]
    ifd_offset = 8 + len(pixels)
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, count, value) if kind == 4 else struct.pack("<HHIHH", tag, kind, count, value, 0)
        for tag, kind, count, value in entries) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", ifd_offset) + pixels + ifd


def webp_vp8x(width, height):
    """A VP8X header and no image: enough for the header reader and the decoder's refusal."""
    chunk = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + chunk
    return b"RIFF" + struct.pack("<I", len(body)) + body


def generated_images():
    return {"rgb.png": png(40, 30), "grey16.png": png(16, 16, color_type=0, depth=16), "palette.png": png(20, 20, color_type=3),
            "interlaced.png": png(33, 17, color_type=6, interlace=1), "small.bmp": bmp(24, 20), "small.tif": tiff(12, 10),
            "header.webp": webp_vp8x(64, 64)}
