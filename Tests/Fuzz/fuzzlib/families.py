"""The mutation families: each knows its seeds, makes one mutated case from a random.Random,
and runs a case through the CLI command that reads such a file. A case is a set of files (by
name inside the family's sandbox) plus what a correct program must do with it."""

import json
import os
import shutil
import struct
import unicodedata
import zlib
from dataclasses import dataclass, field

from . import jsonmut, mutate, runner, seeds


@dataclass
class Case:
    files: dict                        # name -> bytes, or None to delete that file of the seed
    seed: str = ""                     # which seed it grew from (a model name, a file name)
    refuse: bool = False               # exit 0 would be a finding
    expect: str = ""                   # text a refusal must contain
    note: str = ""                     # the mutation, for the report
    command: list = field(default_factory=list)


class Family:
    name = ""
    timeout = 20.0
    #: Who fixes the crashes this family still finds on main, if someone else does.
    owner = ""

    def __init__(self, ctx):
        self.ctx = ctx

    def prepare(self):
        """Makes the seeds; returns a reason when the family cannot run here, else None."""
        return None

    def generate(self, rng):
        raise NotImplementedError

    def finish(self, rng, case):
        """Chooses what the generated case runs (e.g. predict or evaluate)."""
        return case

    def case(self, rng):
        return self.finish(rng, self.generate(rng))

    def run(self, case, worker):
        raise NotImplementedError

    def _run(self, argv, worker, case, env_extra=None):
        env = seeds.env_for(worker.home, env_extra)
        return runner.run([self.ctx.cli] + argv, env, self.timeout, self.ctx.memory_bytes,
                          expect_refusal=case.refuse, expect_text=case.expect)


# MARK: - Rosters

def _fold(s):
    return "".join(c for c in unicodedata.normalize("NFKC", s).lower() if not (c.isspace() or c in "_-.・･"))


def _valid_id(s):
    return bool(s) and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in s) and s.strip("-") != ""


def roster_refuses(path, value):
    """True when a roster with `value` at `path` must be refused whatever else it holds."""
    if isinstance(value, jsonmut.Raw):
        return True  # a nested list where a string or list of strings belongs
    if not isinstance(value, str):
        return False
    if len(value.encode()) > 1024:
        return True
    key = path[-1] if path else None
    parent = path[-2] if len(path) >= 2 else None
    control = any(unicodedata.category(c) == "Cc" for c in value)
    if key == "id" and len(path) in (1, 3):
        return not _valid_id(value)
    if key in ("ja", "romaji") or parent == "aliases":
        return value.strip(" ") == "" or control or _fold(value) == ""
    if key in ("name", "short") and len(path) in (1, 3):
        return control or (key == "name" and len(path) == 3 and value.strip(" ") == "")
    return False


class Rosters(Family):
    name = "rosters"
    timeout = 5.0  # a roster check takes milliseconds; seconds is the 24 MB string

    def prepare(self):
        repo = self.ctx.repo
        self.seeds = {"ldh.json": json.load(open(os.path.join(repo, "Resources/rosters/ldh.json"))),
                      "lfw-dev38.json": json.load(open(os.path.join(repo, "bench/rosters/lfw-dev38.json"))),
                      "small.json": seeds.seed_roster()}

    def generate(self, rng):
        name = rng.choice(sorted(self.seeds))
        tree = self.seeds[name]
        pick = rng.random()
        if pick < 0.55:
            text, refuse = jsonmut.mutate(rng, tree, roster_refuses)
            return Case({"roster.json": text.encode()}, name, refuse, note="json")
        if pick < 0.6:
            return self._crafted(rng, tree, name)
        base = jsonmut.emit(tree).encode()
        others = [jsonmut.emit(t).encode() for t in self.seeds.values()]
        return Case({"roster.json": mutate.generic(rng, base, others)}, name, note="bytes")

    def _crafted(self, rng, tree, name):
        """The issue's own examples, and encodings Foundation may or may not take."""
        choice = rng.randrange(6)
        member = json.dumps(tree["members"][0], ensure_ascii=False)
        if choice == 0:
            tree2 = json.loads(json.dumps(tree))
            first = tree["members"][0]
            tree2["members"][0] = jsonmut.Pairs([("id", first["id"]), ("id", "atsushi")] + [(k, v) for k, v in first.items() if k != "id"])
            return Case({"roster.json": jsonmut.emit(tree2).encode()}, name, True, '"id"', note="duplicate member id key")
        if choice == 1:
            tree2 = json.loads(json.dumps(tree))
            tree2["members"][0]["ja"] = "x" * (24 << 20)
            return Case({"roster.json": jsonmut.emit(tree2).encode()}, name, True, "larger than", note="24 MB name")
        if choice == 2:
            return Case({"roster.json": b"\xef\xbb\xbf" + jsonmut.emit(tree).encode()}, name, note="BOM")
        if choice == 3:
            return Case({"roster.json": jsonmut.emit(tree).encode("utf-16")}, name, note="UTF-16")
        if choice == 4:
            return Case({"roster.json": b" " * rng.choice([0, 1 << 20]) + b"\x00"}, name, True, note="NUL")
        tree2 = json.loads(json.dumps(tree))
        tree2["members"][0]["id"] = "-"
        return Case({"roster.json": jsonmut.emit(tree2).encode()}, name, True, note='member id "-"')

    def run(self, case, worker):
        path = worker.write(self.name, case.files)["roster.json"]
        return self._run(["roster", "check", path], worker, case)


# MARK: - Images

def _png_fix_crcs(data):
    """Recomputes every chunk CRC, so a mutated field reaches the decoder, not the CRC check."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data
    out = bytearray(data)
    i = 8
    while i + 12 <= len(out):
        length = struct.unpack(">I", out[i:i + 4])[0]
        end = i + 8 + length
        if end + 4 > len(out):
            break
        out[end:end + 4] = struct.pack(">I", zlib.crc32(bytes(out[i + 4:end])) & 0xFFFFFFFF)
        i = end + 4
    return bytes(out)


def _image_header_extreme(rng, data):
    """Sets a size field of the format's header to an extreme value."""
    value = rng.choice(mutate.EXTREME_U32)
    if data.startswith(b"\x89PNG") and len(data) > 33 and rng.random() < 0.3:
        # Both sizes extreme, sometimes with nothing after the header (the 33-byte PNG).
        big = mutate.EXTREME_U32[-4:]  # products past 2^62: the header's pixel count overflows
        w, h = (rng.choice(big), rng.choice(big)) if rng.random() < 0.5 else (rng.choice(mutate.EXTREME_U32), rng.choice(mutate.EXTREME_U32))
        data = data[:16] + struct.pack(">II", w, h) + data[24:]
        return _png_fix_crcs(data[:33] if rng.random() < 0.5 else data)
    if data.startswith(b"\x89PNG") and len(data) > 33:
        offset = rng.choice([16, 20, 16, 20, 24, 25, 26, 28, 33])
        if offset in (16, 20, 33):
            data = data[:offset] + struct.pack(">I", value) + data[offset + 4:]
        else:
            data = data[:offset] + bytes([rng.choice([0, 1, 2, 3, 4, 6, 7, 8, 16, 255])]) + data[offset + 1:]
        return _png_fix_crcs(data)
    if data.startswith(b"\xff\xd8"):
        for marker in (b"\xff\xc0", b"\xff\xc2", b"\xff\xc1"):
            i = data.find(marker)
            if i > 0 and i + 9 < len(data):
                field = rng.choice([5, 7, 2, 4, 9])  # height, width, length, precision, components
                width = 1 if field in (4, 9) else 2
                v = (value & 0xFF if width == 1 else value & 0xFFFF).to_bytes(width, "big")
                return data[:i + field] + v + data[i + field + width:]
        return mutate.extreme_int(rng, data)
    if data.startswith(b"BM") and len(data) > 30:
        offset = rng.choice([2, 10, 14, 18, 22, 28, 30, 34])
        width = 2 if offset == 28 else 4
        v = rng.choice([value, -value & 0xFFFFFFFF]) & ((1 << (8 * width)) - 1)
        return data[:offset] + v.to_bytes(width, "little") + data[offset + width:]
    if data.startswith(b"RIFF") and len(data) >= 30:
        offset = rng.choice([4, 16, 24, 27])
        width = 3 if offset >= 24 else 4
        v = (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
        return data[:offset] + v + data[offset + width:]
    return mutate.extreme_int(rng, data)


class Images(Family):
    name = "images"
    owner = "issue 16, image decoding items (branch hostile-images): header pixel-count overflow, memory budget"

    def prepare(self):
        self.seeds = {}
        for path in seeds.shared_images(self.ctx.shared):
            with open(path, "rb") as f:
                ext = ".png" if path.lower().endswith(".png") else ".jpg"
                self.seeds[os.path.basename(path).replace(" ", "_")[-40:] + ("" if path.lower().endswith(ext) else ext)] = f.read()
        self.seeds.update(seeds.generated_images())

    def generate(self, rng):
        name = rng.choice(sorted(self.seeds))
        data = self.seeds[name]
        if rng.random() < 0.4:
            data = _image_header_extreme(rng, data)
            note = "header"
        else:
            data = mutate.generic(rng, data, list(self.seeds.values()))
            note = "bytes"
            if rng.random() < 0.5:
                data = _png_fix_crcs(data)
        ext = os.path.splitext(name)[1] if rng.random() < 0.9 else rng.choice([".png", ".jpg", ".webp", ".bmp", ".tif"])
        return Case({"photo" + ext: data}, name, note=note)

    def run(self, case, worker):
        paths = worker.write(self.name, case.files)
        return self._run(["detect", "--json"] + list(paths.values()), worker, case)


# MARK: - Model folders and their safetensors files

class ModelFolders(Family):
    """Mutates one file of a trained model's folder (model.json, the plugin's settings, its
    weights) and runs predict or evaluate on it."""
    name = "models"
    timeout = 60.0

    def prepare(self):
        home = self.ctx.model_home()
        if home is None:
            return "no ../shared/data: no dataset to train the seed models on"
        self.home = home
        root = os.path.join(home, "data", "tribelens", "models")
        self.folders = {}
        for model in seeds.models_in(home):
            files = {}
            for name in sorted(os.listdir(os.path.join(root, model))):
                path = os.path.join(root, model, name)
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        files[name] = f.read()
            self.folders[model] = files
        return None if self.folders else "no seed models were trained"

    def targets(self, files):
        return [n for n in files if not n.endswith(".safetensors")]

    def generate(self, rng):
        model = rng.choice(sorted(self.folders))
        files = self.folders[model]
        name = rng.choice(sorted(self.targets(files)))
        data = files[name]
        pick = rng.random()
        if pick < 0.08:
            return Case({name: None}, model, note=f"{name} missing")
        if pick < 0.12:
            return Case({name: rng.choice([b"", b"{}", b"null", b"[]", b"\x00" * 64])}, model, note=f"{name} empty")
        if name.endswith(".json") and pick < 0.7:
            text, _ = jsonmut.mutate(rng, json.loads(data))
            return Case({name: text.encode()}, model, note=f"{name} json")
        return Case({name: mutate.generic(rng, data)}, model, note=f"{name} bytes")

    def finish(self, rng, case):
        case.command = ["evaluate"] if rng.random() < 0.3 else ["predict"]
        return case

    def run(self, case, worker):
        worker.model_folder(self.home, case.seed, case.files)
        if case.command == ["evaluate"]:
            return self._run(["evaluate", "--json", "--model", "fuzz"], worker, case)
        return self._run(["predict", "--json", "--model", "fuzz", os.path.join(worker.home, "photo.jpg")], worker, case)


class SafetensorsFiles(ModelFolders):
    name = "safetensors"

    def targets(self, files):
        return [n for n in files if n.endswith(".safetensors")]

    def generate(self, rng):
        model = rng.choice(sorted(self.folders))
        files = self.folders[model]
        name = rng.choice(sorted(self.targets(files)))
        data = files[name]
        header_length = struct.unpack("<Q", data[:8])[0]
        payload = 8 + header_length
        pick = rng.random()
        if pick < 0.2:
            # A NaN or an infinity in the data: the load must refuse it and say which tensor.
            floats = (len(data) - payload) // 4
            i = payload + 4 * rng.randrange(floats)
            bad = rng.choice([float("nan"), float("inf"), float("-inf")])
            expect = "finite prototypes" if name.startswith("prototypes") else "weights must be finite"
            return Case({name: data[:i] + struct.pack("<f", bad) + data[i + 4:]}, model, True, expect, note=f"{name} {bad}")
        if pick < 0.35:
            value = rng.choice(mutate.EXTREME_U64 + [header_length - 1, header_length + 1, len(data), len(data) - 8])
            return Case({name: struct.pack("<Q", value & 0xFFFFFFFFFFFFFFFF) + data[8:]}, model, note=f"{name} header length")
        if pick < 0.7:
            header = json.loads(data[8:payload])
            text, _ = jsonmut.mutate(rng, header)
            if rng.random() < 0.7:  # keep the data aligned where the header says
                text = text.ljust(header_length)
            encoded = text.encode()
            return Case({name: struct.pack("<Q", len(encoded)) + encoded + data[payload:]}, model, note=f"{name} header json")
        if pick < 0.8:
            return Case({name: mutate.truncate(rng, data)}, model, note=f"{name} truncated")
        return Case({name: mutate.generic(rng, data)}, model, note=f"{name} bytes")


# MARK: - Keras HDF5 weight files

class KerasFiles(Family):
    """Mutated Keras legacy HDF5 files through `train --backend vgg16-transfer --weights`."""
    name = "keras"
    timeout = 30.0
    owner = "issue 16, out-of-process probing of non-official Keras .h5 files (branch hostile-probe)"

    def prepare(self):
        home = self.ctx.model_home()
        if home is None:
            return "no ../shared/data: no dataset for train"
        self.home = home
        fixture = os.path.join(self.ctx.repo, "Tests/KerasWeightsTests/Fixtures/keras_legacy_small.h5")
        with open(fixture, "rb") as f:
            self.seeds = {"keras_legacy_small.h5": f.read()}

    def generate(self, rng):
        name, data = rng.choice(sorted(self.seeds.items()))
        pick = rng.random()
        if pick < 0.3:
            # The superblock (offsets, lengths, root object address) sits in the first 100 bytes.
            data = mutate.extreme_int(rng, data, rng.randrange(8, 96))
            note = "superblock"
        else:
            data = mutate.generic(rng, data)
            note = "bytes"
        return Case({"weights.h5": data}, name, note=note)

    def run(self, case, worker):
        worker.use_seed_home(self.home)
        path = worker.write(self.name, case.files)["weights.h5"]
        return self._run(["train", "--dataset", "seed", "--backend", "vgg16-transfer", "--model", "k", "--epochs", "1",
                          "--no-augment", "--weights", path], worker, case)


# MARK: - Plugin files

def _elf_extreme(rng, data):
    if not data.startswith(b"\x7fELF") or len(data) < 64:
        return mutate.extreme_int(rng, data)
    # e_phoff, e_shoff (8 bytes), e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx (2 bytes)
    offset, width = rng.choice([(0x20, 8), (0x28, 8), (0x36, 2), (0x38, 2), (0x3A, 2), (0x3C, 2), (0x3E, 2), (0x10, 2), (0x12, 2)])
    if rng.random() < 0.4:
        # A program header's offset, sizes or alignment.
        phoff = struct.unpack("<Q", data[0x20:0x28])[0]
        phnum = struct.unpack("<H", data[0x38:0x3A])[0]
        if phnum and phoff + 56 * phnum <= len(data):
            offset = phoff + 56 * rng.randrange(phnum) + rng.choice([8, 16, 32, 40, 48])
            width = 8
    value = rng.choice(mutate.EXTREME_U64) & ((1 << (8 * width)) - 1)
    return data[:offset] + value.to_bytes(width, "little") + data[offset + width:]


class PluginFiles(Family):
    name = "plugins"
    owner = "issue 16, out-of-process probing of plugins (branch hostile-probe)"

    def prepare(self):
        self.seeds = {}
        for lib in ["libTestLinearBackend.so", "libTestNoEntry.so", "libTestWrongABI.so"]:
            path = os.path.join(self.ctx.cli_dir, lib)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    self.seeds[lib] = f.read()
        return None if self.seeds else "the test plugins are not built"

    def generate(self, rng):
        name, data = rng.choice(sorted(self.seeds.items()))
        pick = rng.random()
        if pick < 0.45:
            data, note = _elf_extreme(rng, data), "elf header"
        elif pick < 0.5:
            data, note = rng.choice([b"", b"not a plugin\n", b"\x7fELF", data[:64]]), "stub"
        else:
            data, note = mutate.generic(rng, data), "bytes"
        return Case({"libfuzz.so": data}, name, note=note)

    def run(self, case, worker):
        paths = worker.write(self.name, case.files)
        folder = os.path.dirname(paths["libfuzz.so"])
        return self._run(["plugins", "--json"], worker, case, {"TRIBELENS_PLUGIN_PATH": folder})


ALL = [Rosters, Images, ModelFolders, SafetensorsFiles, KerasFiles, PluginFiles]
