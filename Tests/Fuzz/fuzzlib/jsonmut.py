"""Structural JSON mutations: the seed is parsed, one spot in the tree is changed, and the tree
is written back with an emitter that can also write what Python's json cannot: a key twice in
one object, raw number text (1e400), lone surrogate escapes. Mutations that make any roster or
model invalid say so (`refuse=True`), so an exit status of 0 for them is a finding."""

import json


class Raw:
    """Text written as is (numbers out of range, broken escapes)."""
    def __init__(self, text):
        self.text = text


class Pairs:
    """An object as a list of (key, value), so a key can appear twice."""
    def __init__(self, pairs):
        self.pairs = pairs


def emit(value):
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Pairs):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + emit(v) for k, v in value.pairs) + "}"
    if isinstance(value, dict):
        return emit(Pairs(list(value.items())))
    if isinstance(value, list):
        return "[" + ",".join(emit(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def paths(value, prefix=()):
    """Every (path, value) in the tree; a path is a tuple of keys and indexes."""
    yield prefix, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, prefix + (i,))


def replace(tree, path, new):
    if not path:
        return new
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return tree


WEIRD_NUMBERS = ["1e400", "-1e400", "1e308", "-0", "0", "-1", "2147483648", "9223372036854775807",
                 "9223372036854775808", "18446744073709551616", "1.5", "1e-400", "4294967295", "99999999999999999999999"]


def weird_strings(rng):
    return ["", " ", "・", "-", "_", ".", "a\u0000b", "\u0000", "\t", "\n", "a\u007fb", "\u200b",
            "\u202eevil", "e\u0301" * 500, "😀" * 300, "x" * 1025, "ＡＫＩＲＡ", "../../etc/passwd",
            "x" * rng.choice([4096, 100_000, 2_000_000]), "%s%n%x", "\ufffd", "Optional"]


def mutate(rng, tree, refuses=lambda path, value: False):
    """Returns (text, refuse): refuse is True when the change makes the file one TribeLens must
    refuse (a duplicated key always; a new string when `refuses(path, string)` says so)."""
    tree = json.loads(json.dumps(tree))
    path, value = rng.choice(list(paths(tree)))
    op = rng.randrange(12)
    refuse = False
    if op == 0 and isinstance(value, dict) and value:
        key = rng.choice(list(value))
        pairs = list(value.items())
        twin = rng.choice([value[key], rng.choice(weird_strings(rng)[:8]), 0, None])
        pairs.insert(rng.randrange(len(pairs) + 1), (key, twin))
        tree = replace(tree, path, Pairs(pairs))
        refuse = True
    elif op == 1 and isinstance(value, dict) and value:
        del value[rng.choice(list(value))]
    elif op in (2, 10):
        tree = replace(tree, path, Raw(rng.choice(WEIRD_NUMBERS)))
    elif op == 3:
        tree = replace(tree, path, rng.choice([None, True, False, [], {}, "", 0, [None], {"": None}]))
    elif op == 4:
        s = rng.choice(weird_strings(rng))
        tree = replace(tree, path, s)
        refuse = refuses(path, s)
    elif op == 5 and isinstance(value, list) and value:
        value.extend([value[0]] * rng.choice([1, 10, 1000]))
    elif op == 6 and isinstance(value, list):
        value.clear()
    elif op == 7:
        depth = rng.choice([40, 1000, 100_000])
        tree = replace(tree, path, Raw("[" * depth + "]" * depth))
        refuse = refuses(path, Raw(""))
    elif op == 8:
        tree = replace(tree, path, Raw('"\\ud800"' if rng.random() < 0.5 else '"\\udc00x\\u00"'))
    elif op == 9 and isinstance(value, str):
        s = value * rng.choice([2, 100, 50_000])
        tree = replace(tree, path, s)
        refuse = refuses(path, s)
    elif isinstance(value, dict):
        # A key this version does not know.
        value[rng.choice(["extra", "__proto__", "schema", "id"]) + "_x"] = rng.choice([1, "x", None])
    return emit(tree), refuse
