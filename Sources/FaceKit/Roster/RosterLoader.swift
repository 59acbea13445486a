import Foundation

/// Reads and validates roster files, and finds rosters by id.
public enum RosterLoader {
    /// Parses and validates roster JSON. `source` names the file in error messages.
    public static func parse(_ data: Data, source: String) throws -> Roster {
        guard data.count <= maximumFileBytes else { throw tooLarge(source: source) }
        // Foundation's decoder takes the first of two equal keys and any string length: refuse both.
        if let problem = StrictJSONScan(maximumStringBytes: maximumStringBytes, maximumDepth: maximumDepth).check(data) {
            throw RosterError(source: source, location: problem.location, problem: problem.problem)
        }
        let roster: Roster
        do {
            roster = try JSONDecoder().decode(Roster.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, source: source, data: data)
        }
        try validate(roster, source: source)
        return roster
    }

    public static func load(contentsOf url: URL) throws -> Roster {
        let data: Data
        do {
            data = try readBounded(url)
        } catch let error as RosterError {
            throw error
        } catch {
            throw RosterError(source: url.path, location: "", problem: "cannot read the file (\(readReason(error)))")
        }
        return try parse(data, source: url.lastPathComponent)
    }

    /// The LDH roster the app ships with.
    public static func ldh() throws -> Roster { try load(idOrPath: "ldh", storage: nil) }

    /// `reference` is a path to a JSON file, or a roster id looked up (as `<id>.json`) in the user's
    /// roster folder, then the shipped ones (see `shippedRosterDirectories`).
    public static func load(idOrPath reference: String, storage: DatasetStorage?) throws -> Roster {
        if reference.contains("/") || reference.hasSuffix(".json") {
            return try load(contentsOf: URL(fileURLWithPath: reference))
        }
        var folders = shippedRosterDirectories()
        if let storage { folders.insert(storage.rostersDirectory, at: 0) }
        for folder in folders {
            let file = folder.appendingPathComponent("\(reference).json")
            if FileManager.default.fileExists(atPath: file.path) { return try load(contentsOf: file) }
        }
        throw RosterError(source: reference, location: "",
                          problem: "no roster with this id (looked in \(folders.map(\.path).joined(separator: ", ")))")
    }

    /// Every roster `load(idOrPath:)` can find by id, in its search order (the user's folder
    /// first); a file that does not load is left out, and an id is listed once.
    public static func available(storage: DatasetStorage?) -> [(file: URL, roster: Roster)] {
        var folders = shippedRosterDirectories()
        if let storage { folders.insert(storage.rostersDirectory, at: 0) }
        var seen = Set<String>()
        var rosters: [(file: URL, roster: Roster)] = []
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where file.pathExtension == "json" {
                let id = file.deletingPathExtension().lastPathComponent
                guard !seen.contains(id), let roster = try? load(contentsOf: file) else { continue }
                seen.insert(id)
                rosters.append((file, roster))
            }
        }
        return rosters
    }

    /// Where shipped rosters live, in search order: `$TRIBELENS_ROSTER_DIR`; next to the
    /// executable (`rosters/`, `../share/tribelens/rosters/`, the layout `make install` uses);
    /// the source checkout's `Resources/rosters/` (development builds and tests).
    public static func shippedRosterDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var folders: [URL] = []
        if let dir = environment["TRIBELENS_ROSTER_DIR"], !dir.isEmpty { folders.append(URL(fileURLWithPath: dir, isDirectory: true)) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        folders.append(executable.appendingPathComponent("rosters", isDirectory: true))
        folders.append(executable.appendingPathComponent("../share/tribelens/rosters", isDirectory: true).standardizedFileURL)
        // This file is Sources/FaceKit/Roster/RosterLoader.swift: three levels up is the checkout.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        folders.append(checkout.appendingPathComponent("Resources/rosters", isDirectory: true))
        return folders
    }

    // MARK: - Limits

    /// Real rosters are a few kB; these bounds keep a hostile file from costing seconds or memory.
    public static let maximumFileBytes = 8 << 20
    /// Longest JSON string (a name, an id) in bytes as written.
    public static let maximumStringBytes = 1024
    static let maximumDepth = 32

    private static func tooLarge(source: String) -> RosterError {
        RosterError(source: source, location: "", problem: "the file is larger than \(maximumFileBytes) bytes, the most a roster may be")
    }

    /// Reads at most `maximumFileBytes`: a regular file's size is checked first, anything else
    /// (a pipe, a device such as /dev/zero) is read only that far. A FIFO is opened without
    /// blocking, so one with no writer reads as empty instead of hanging the caller.
    private static func readBounded(_ url: URL) throws -> Data {
        var info = stat()
        guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG else {
            if info.st_size > maximumFileBytes { throw tooLarge(source: url.path) }
            return try Data(contentsOf: url)
        }
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return try Data(contentsOf: url) }  // its error names the reason
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while data.count <= maximumFileBytes {
            let count = read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                throw RosterError(source: url.path, location: "", problem: "cannot read the file (\(String(cString: strerror(errno))))")
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        guard data.count <= maximumFileBytes else { throw tooLarge(source: url.path) }
        return data
    }

    // MARK: - Validation

    static func validate(_ roster: Roster, source: String) throws {
        func fail(_ location: String, _ problem: String) -> RosterError {
            RosterError(source: source, location: location, problem: problem)
        }
        guard roster.schema == Roster.schemaVersion else {
            throw fail("schema", "unsupported schema version \(roster.schema) (this TribeLens reads \(Roster.schemaVersion))")
        }
        if let problem = idProblem(roster.id) { throw fail("id", problem) }
        if let problem = nameProblem(roster.name, required: false, folded: false) { throw fail("name", problem) }
        guard !roster.members.isEmpty else { throw fail("members", "the roster has no members") }
        var groupIDs = Set<String>()
        for (index, group) in roster.groups.enumerated() {
            let at = "groups[\(index)]"
            if let problem = idProblem(group.id) { throw fail("\(at).id", problem) }
            guard groupIDs.insert(group.id).inserted else { throw fail("\(at).id", "duplicate group id \(quoted(group.id))") }
            if let problem = nameProblem(group.name, required: true, folded: false) { throw fail("\(at).name", problem) }
            if let short = group.short, let problem = nameProblem(short, required: false, folded: false) { throw fail("\(at).short", problem) }
        }
        var memberIDs = Set<String>()
        var nameOwner: [String: String] = [:]
        for (index, member) in roster.members.enumerated() {
            let at = "members[\(index)]"
            if let problem = idProblem(member.id) { throw fail("\(at).id", problem) }
            guard memberIDs.insert(member.id).inserted else { throw fail("\(at).id", "duplicate member id \(quoted(member.id))") }
            let names = [("ja", member.ja), ("romaji", member.romaji)] + (member.aliases ?? []).enumerated().map { ("aliases[\($0)]", $1) }
            for (key, value) in names {
                if let problem = nameProblem(value, required: true, folded: true) { throw fail("\(at).\(key)", problem) }
            }
            var seenGroups = Set<String>()
            for (g, groupID) in member.groups.enumerated() {
                guard groupIDs.contains(groupID) else {
                    let known = roster.groups.isEmpty ? "the roster defines no groups" : "known: " + roster.groups.map(\.id).joined(separator: ", ")
                    throw fail("\(at).groups[\(g)]", "unknown group \(quoted(groupID)) (\(known))")
                }
                guard seenGroups.insert(groupID).inserted else { throw fail("\(at).groups[\(g)]", "group \(quoted(groupID)) listed twice") }
            }
            // Folder matching must be unambiguous: no two members may share a name.
            for name in Set(member.allNames.map(Roster.matchKey)) where !name.isEmpty {
                if let owner = nameOwner[name], owner != member.id {
                    throw fail(at, "name \(quoted(name)) is also a name of member \(quoted(owner))")
                }
                nameOwner[name] = member.id
            }
        }
    }

    static func isValidID(_ id: String) -> Bool { idProblem(id) == nil }

    /// Ids name folders and classes: `a-z`, `0-9` and '-', with at least one letter or digit
    /// (an id of hyphens only folds to nothing and so matches no folder).
    static func idProblem(_ id: String) -> String? {
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            return "\(quoted(id)) is not a valid id (use a-z, 0-9 and '-')"
        }
        guard id.unicodeScalars.contains(where: { $0 != "-" }) else {
            return "\(quoted(id)) is not a valid id (it needs a letter or a digit)"
        }
        return nil
    }

    /// A name must not hide control characters (a NUL ends it in C, a newline splits a line of
    /// output); a required one must not be blank, and one matched against folder names must keep
    /// something after folding, or it matches nothing.
    static func nameProblem(_ name: String, required: Bool, folded: Bool) -> String? {
        if required, name.trimmingCharacters(in: .whitespaces).isEmpty { return "empty name" }
        if let control = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "the name contains the control character U+\(String(format: "%04X", control.value))"
        }
        if folded, Roster.matchKey(name).isEmpty {
            return "name \(quoted(name)) is only separators (folder matching ignores spaces, '_', '-', '.' and '・')"
        }
        return nil
    }

    private static func quoted(_ s: String) -> String { "\"\(s)\"" }

    private static func readReason(_ error: Error) -> String {
        let nsError = error as NSError
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return nsError.code == CocoaError.fileReadNoSuchFile.rawValue ? "no such file" : nsError.localizedDescription
    }

    /// Turns a decoding error into "the key and the problem"; syntax errors get a line and column.
    static func describe(_ error: DecodingError, source: String, data: Data) -> RosterError {
        func path(_ codingPath: [CodingKey]) -> String {
            var out = ""
            for key in codingPath {
                if let index = key.intValue { out += "[\(index)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return RosterError(source: source, location: parent.isEmpty ? key.stringValue : "\(parent).\(key.stringValue)",
                               problem: "missing key \"\(key.stringValue)\"")
        case .typeMismatch(let type, let context):
            return RosterError(source: source, location: path(context.codingPath), problem: "expected \(describeType(type))")
        case .valueNotFound(let type, let context):
            return RosterError(source: source, location: path(context.codingPath), problem: "expected \(describeType(type)), found null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let (location, detail) = syntaxProblem(data)
                return RosterError(source: source, location: location, problem: "not valid JSON (\(detail))")
            }
            return RosterError(source: source, location: path(context.codingPath), problem: context.debugDescription)
        @unknown default:
            return RosterError(source: source, location: "", problem: "\(error)")
        }
    }

    private static func describeType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is [Any].Type, is [String].Type: return "a list"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "a list" : (name.contains("Dictionary") || name.contains("Member") || name.contains("Group") ? "an object" : name)
        }
    }

    /// Foundation's decoder says only "not valid JSON"; its JSONSerialization names the offset
    /// ("around character 46"), which we turn into a line and column for people.
    private static func syntaxProblem(_ data: Data) -> (location: String, detail: String) {
        do {
            _ = try JSONSerialization.jsonObject(with: data)
            return ("", "The given data was not valid JSON")
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            guard let range = text.range(of: "character "),
                  let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
                return ("", text.trimmingCharacters(in: CharacterSet(charactersIn: ". ")))
            }
            let detail = text.range(of: " around").map { text[..<$0.lowerBound] } ?? Substring(text)
            let prefix = data.prefix(offset)
            let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = offset - (prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            return ("line \(line), column \(column)", String(detail))
        }
    }
}
