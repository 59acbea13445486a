#!/usr/bin/env python3
"""Finds user-visible string literals in the app's Swift sources that are not marked for gettext.

A literal counts as user-visible when it is an argument of a call that puts text on screen: a GTK
setter (labels, titles, tooltips, buttons, menus, progress text, placeholders, accessible names)
or one of the app's own helpers that pass their text to one (`SINKS` below). Inside such a call
a literal is marked when it is the message of `L10n.tr("…")` or one of the two of
`L10n.plural("…", "…", n)`; any other literal with a letter in it is reported. Anywhere else,
a literal of two or more words (a sentence, wherever it ends up: a toast, a summary, an error
shown in the window) is reported unless marked, or on a line that only logs (`log(`, `print(`,
standard error). Exempt: the allow-list file (one literal a line, or `re:REGEX` matched
against the literal's text; `#` comments: style classes, action names, markup, the
accessible descriptions the GUI tests find widgets by) and icon names (`…-symbolic`).
Interpolated parts (`\\(…)`) are not text.

    unmarked-strings.py [--allow FILE] SOURCE_DIR...     exit 1 and one line per literal found

Run by `scripts/translations.sh check` (the install test in `make test`); tested by
Tests/TribeLensTests/UnmarkedStringsCheckTests.swift.
"""
import os
import re
import sys

# Calls whose arguments are shown to users. Names are matched as whole identifiers followed by "(".
SINKS = [
    # GTK and GIO
    "gtk_label_new", "gtk_label_new_with_mnemonic", "gtk_label_set_text", "gtk_label_set_markup",
    "gtk_label_set_label", "gtk_label_set_text_with_mnemonic", "gtk_widget_set_tooltip_text",
    "gtk_widget_set_tooltip_markup", "gtk_tooltip_set_text", "gtk_progress_bar_set_text",
    "gtk_button_new_with_label", "gtk_button_new_with_mnemonic", "gtk_button_set_label",
    "gtk_check_button_new_with_label", "gtk_check_button_set_label", "gtk_toggle_button_new_with_label",
    "gtk_menu_button_set_label", "gtk_expander_new", "gtk_frame_new", "gtk_entry_set_placeholder_text",
    "gtk_stack_add_titled", "gtk_window_set_title", "gtk_editable_set_text", "g_menu_append",
    "g_menu_item_new", "g_menu_append_section", "g_menu_append_submenu",
    "tl_accessible_set_label", "tl_accessible_set_description",
    # the app's own helpers that show their text
    "Gtk.label", "Gtk.iconButton", "Gtk.button", "TrainingPage.heading", "TrainingPage.subheading",
    "TrainingPage.explanation", "TrainingPage.row", "TrainingPage.staleNote", "TrainingPage.exportChart",
    "ConfirmDialog.ask", "SaveDialog.present", "ChartText.draw", "toast.show", "errorPage.show",
    "badge.show", "area.update", "popover.present",
]

# Argument labels whose literals are not text (CSS classes, icons, action names).
NON_TEXT_ARGUMENTS = re.compile(r"\b(classes|icon|action|cssClass|iconName)\s*:\s*(\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\")")
MARKED = re.compile(r"L10n\.(tr|plural)\(\s*\"(?:[^\"\\]|\\.)*\"(\s*,\s*\"(?:[^\"\\]|\\.)*\")?")


def strip_comments(text):
    """Removes // and /* */ comments outside string literals, keeping line breaks."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1]); i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i); j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2); j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j)); i = j
        else:
            out.append(c); i += 1
    return "".join(out)


def call_arguments(text, start):
    """The text between the "(" at `start` and its matching ")" (string literals respected)."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
        i += 1
    return text[start + 1:]


LOG_LINE = re.compile(r"\b(log|print|fatalError|precondition|preconditionFailure|assert|assertionFailure)\s*\(|standardError|FileHandle")
WORD = re.compile(r"[^\W\d_]{2,}")


def allowed_literal(body, allowed, patterns):
    return body in allowed or body.endswith("-symbolic") or any(p.search(body) for p in patterns)


def literals(text):
    """The string literals in `text`, each as written; `\\(…)` may hold literals of its own."""
    found, i, n = [], 0, len(text)
    while i < n:
        if text[i] != '"':
            i += 1; continue
        j = i + 1
        while j < n and text[j] != '"' and text[j] != "\n":
            if text.startswith("\\(", j):
                depth, j = 1, j + 2
                while j < n and depth:
                    if text[j] == '"':  # a literal inside the interpolation
                        j += 1
                        while j < n and text[j] != '"':
                            j += 2 if text[j] == "\\" else 1
                    elif text[j] == "(":
                        depth += 1
                    elif text[j] == ")":
                        depth -= 1
                    j += 1
                continue
            j += 2 if text[j] == "\\" else 1
        found.append(text[i:j + 1]); i = j + 1
    return found


def without_interpolations(body):
    out, i, depth = [], 0, 0
    while i < len(body):
        if depth == 0 and body.startswith("\\(", i):
            depth, i = 1, i + 2; continue
        if depth:
            depth += {"(": 1, ")": -1}.get(body[i], 0)
        else:
            out.append(body[i])
        i += 1
    return "".join(out)


def is_text(literal, allowed, patterns):
    body = literal[1:-1]
    if allowed_literal(body, allowed, patterns):
        return False
    return re.search(r"[^\W\d_]", without_interpolations(body)) is not None


def is_sentence(literal, allowed, patterns):
    body = literal[1:-1]
    words = without_interpolations(body)
    return not allowed_literal(body, allowed, patterns) and " " in words and len(WORD.findall(words)) >= 2


def scan(path, allowed, patterns, sink_pattern):
    text = strip_comments(open(path, encoding="utf-8").read())
    found = []
    for match in sink_pattern.finditer(text):
        arguments = call_arguments(text, match.end() - 1)
        rest = NON_TEXT_ARGUMENTS.sub("", MARKED.sub("", arguments))
        for literal in literals(rest):
            if is_text(literal, allowed, patterns):
                line = text.count("\n", 0, match.start()) + 1
                found.append((path, line, match.group(1), literal))
    seen = {(line, literal) for _, line, _, literal in found}
    # Marked messages may span lines (`L10n.tr(\n "…")`): blank them out, keeping line breaks.
    unmarked = MARKED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for number, line in enumerate(unmarked.split("\n"), start=1):
        if LOG_LINE.search(line):
            continue
        for literal in literals(line):
            if (number, literal) not in seen and is_sentence(literal, allowed, patterns):
                found.append((path, number, "text", literal))
    return sorted(found, key=lambda f: f[1])


def main(argv):
    allow_file, roots = None, []
    i = 0
    while i < len(argv):
        if argv[i] == "--allow":
            allow_file = argv[i + 1]; i += 2
        else:
            roots.append(argv[i]); i += 1
    allowed, patterns = set(), []
    if allow_file:
        for line in open(allow_file, encoding="utf-8"):
            line = line.rstrip("\n")
            if line.startswith("re:"):
                patterns.append(re.compile(line[3:]))
            elif line and not line.startswith("#"):
                allowed.add(line)
    names = "|".join(re.escape(s) for s in sorted(SINKS, key=len, reverse=True))
    # A sink name as a whole identifier (a helper also after a dot: `self.toast.show`), then "(".
    sink_pattern = re.compile(r"(?<![\w])(" + names + r")\s*\(")
    results = []
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                if name.endswith(".swift"):
                    results += scan(os.path.join(folder, name), allowed, patterns, sink_pattern)
    for path, line, sink, literal in results:
        print(f"{path}:{line}: {sink}: {literal} is shown to users but not marked with L10n.tr")
    if results:
        print(f"unmarked-strings: {len(results)} unmarked user-visible string(s); wrap them in L10n.tr "
              "(or add a non-text literal to the allow-list)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
