import Foundation

/// What `dataset check` tells about a photo root: counts per member and every problem found,
/// each naming the files concerned. Text for people (`text`), JSON for scripts (Codable).
public struct HealthReport: Sendable, Codable, Equatable {
    public struct MemberCount: Sendable, Codable, Equatable {
        public var member: String
        public var name: String
        public var folders: [String]
        public var photos: Int
        /// Crops found in the member's photos.
        public var faces: Int
        /// Crops that go into the dataset (after presets and curation).
        public var usable: Int
        public var noFace: Int
        public var severalFaces: Int
        public var rejected: Int
        public var heldForReview: Int
    }

    public struct FileProblem: Sendable, Codable, Equatable {
        public var path: String
        public var problem: String
    }

    public struct DuplicateGroup: Sendable, Codable, Equatable {
        public var paths: [String]
        public var members: [String]
        /// Largest perceptual-hash distance inside the group (0 for exact duplicates).
        public var distance: Int
        public var acrossMembers: Bool { Set(members).count > 1 }
        private enum CodingKeys: String, CodingKey { case paths, members, distance }
    }

    public var photoRoot: String
    public var roster: String
    public var preset: DatasetPreset
    public var detector: String
    public var members: [MemberCount]
    public var unmatchedFolders: [String]
    public var emptyFolders: [String]
    /// Every file that gives no usable crop, with why (not a photo, unreadable, no face, ...).
    public var unusableFiles: [FileProblem]
    public var severalFaces: [FileProblem]
    public var tinyFaces: [FileProblem]
    /// Photos decoded despite damaged data, with the decoder's complaint in our words (once per file).
    public var damagedFiles: [FileProblem] = []
    public var exactDuplicates: [DuplicateGroup]
    public var nearDuplicates: [DuplicateGroup]
    public var minimumPerMember: Int
    public var membersBelowMinimum: [String]
    /// Largest over smallest usable count among members with any (1 when balanced).
    public var imbalanceRatio: Double
    public var imbalanced: Bool
    public var totals: Totals

    public struct Totals: Sendable, Codable, Equatable {
        public var files: Int
        public var photos: Int
        public var faces: Int
        public var usable: Int
        public var extractionSeconds: Double
        public var photosFromCache: Int
    }

    /// The report for people: counts first, then each finding with the files it concerns.
    public var text: String {
        var lines: [String] = []
        lines.append("Photo root: \(photoRoot)")
        lines.append("Roster \(roster), preset \(preset.rawValue), faces by \(detector)")
        lines.append("")
        let nameWidth = max(6, members.map { Self.displayWidth($0.name) }.max() ?? 0)
        func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, nameWidth - Self.displayWidth(s))) }
        lines.append(pad("member") + "  photos  faces  usable  no-face  multi  rejected  review")
        for m in members {
            let cells = [m.photos, m.faces, m.usable, m.noFace, m.severalFaces, m.rejected, m.heldForReview]
            let widths = [6, 5, 6, 7, 5, 8, 6]
            lines.append(pad(m.name) + "  "
                         + zip(cells, widths).map { String(repeating: " ", count: max(0, $1 - "\($0)".count)) + "\($0)" }.joined(separator: "  "))
        }
        lines.append("total: \(totals.files) files, \(totals.photos) photos, \(totals.faces) faces, \(totals.usable) usable crops")
        func section(_ title: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            lines.append("")
            lines.append("\(title) (\(items.count)):")
            lines += items.map { "  " + $0 }
        }
        section("Folders matching no member", unmatchedFolders)
        section("Member folders without photos", emptyFolders)
        section("Unusable files", unusableFiles.map { "\($0.path): \($0.problem)" })
        section("Damaged files, decoded anyway", damagedFiles.map { "\($0.path): \($0.problem)" })
        section("Photos with several faces", severalFaces.map { "\($0.path): \($0.problem)" })
        section("Tiny faces", tinyFaces.map { "\($0.path): \($0.problem)" })
        section("Exact duplicates", exactDuplicates.map { describe($0) })
        section("Near-duplicates", nearDuplicates.map { describe($0) })
        section("Members below \(minimumPerMember) usable crops", membersBelowMinimum)
        if imbalanced {
            lines.append("")
            lines.append(String(format: "Class imbalance: the largest member has %.1fx the crops of the smallest", imbalanceRatio))
        }
        return lines.joined(separator: "\n")
    }

    /// Terminal columns of a string: East Asian wide characters (kana, kanji, hangul, full-width
    /// forms) take two, so Japanese names line up with the numbers.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            return width + (wide ? 2 : 1)
        }
    }

    private func describe(_ group: DuplicateGroup) -> String {
        let across = group.acrossMembers ? " [across members: \(Set(group.members).sorted().joined(separator: ", "))]" : ""
        let distance = group.distance > 0 ? " (distance \(group.distance))" : ""
        return group.paths.joined(separator: " = ") + distance + across
    }
}
