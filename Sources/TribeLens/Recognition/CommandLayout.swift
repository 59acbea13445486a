/// Lays a shell command out on lines of at most `width` characters, breaking only between
/// options (an option stays with its value) and continuing with " \", so a command shown in a
/// narrow popover never wraps mid-option and still runs when pasted into a terminal.
enum CommandLayout {
    static func lines(_ command: String, width: Int, indent: String = "    ") -> [String] {
        // Words: the command's leading words, then each option with its value.
        var words: [String] = []
        for token in command.split(separator: " ").map(String.init) {
            if let last = words.last, last.hasPrefix("--"), !last.contains(" "), !token.hasPrefix("--") {
                words[words.count - 1] += " " + token
            } else {
                words.append(token)
            }
        }
        var lines: [String] = []
        var current = ""
        for word in words {
            let candidate = current.isEmpty ? word : current + " " + word
            let prefix = lines.isEmpty ? "" : indent
            // The " \" a continued line ends with counts against the width.
            if current.isEmpty || prefix.count + candidate.count + 2 <= width {
                current = candidate
            } else {
                lines.append((lines.isEmpty ? "" : indent) + current + " \\")
                current = word
            }
        }
        if !current.isEmpty { lines.append((lines.isEmpty ? "" : indent) + current) }
        return lines
    }
}
