import Foundation

/// What the curation grid shows: per member, every crop (and every photo without a face) with
/// the reasons it deserves a look, most serious first. Built from an `Analysis` plus the user's
/// decisions; no pixels are kept here (the grid loads them lazily).
public struct CurationQueue: Sendable {
    /// Why an item is worth a look. Raw values order severity: lower is more serious.
    public enum Flag: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case noFace = 0, nearDuplicateAcrossMembers, exactDuplicate, outlier, severalFaces, nearDuplicate,
             tinyFace, heldForReview, relabelled, rejected

        public static func < (a: Flag, b: Flag) -> Bool { a.rawValue < b.rawValue }
        public var description: String {
            switch self {
            case .noFace: return "no face"
            case .nearDuplicateAcrossMembers: return "near duplicate of another member's photo"
            case .exactDuplicate: return "exact duplicate"
            case .outlier: return "unlike the member's other crops"
            case .severalFaces: return "several faces"
            case .nearDuplicate: return "near duplicate"
            case .tinyFace: return "tiny face"
            case .heldForReview: return "held for review"
            case .relabelled: return "relabelled"
            case .rejected: return "rejected"
            }
        }
    }

    public struct Item: Sendable, Equatable {
        /// nil for a photo where no face was found.
        public var crop: CropID?
        public var photo: String
        public var member: String
        public var box: FaceBox?
        /// Index of the crop within the photo's cached `.rgb` file.
        public var cropIndex: Int?
        public var contentHash: String
        public var decision: CurationStore.Decision?
        public var flags: Set<Flag>
        /// Outlier distance (see `outlierScores`), nil without a crop.
        public var outlierScore: Double?
        /// The preset trains on this crop only once the user keeps it (`recommended`: a face of a
        /// group photo other than the largest). Does not change with decisions, so undoing one
        /// can bring "held for review" back.
        public var heldUnlessKept = false
        /// The first photo with the same bytes, whose crop is trained on instead of this one
        /// (`recommended` trains on one copy); nil for the first copy and under `original`.
        public var copyOf: String?
        public var mostSerious: Flag? { flags.min() }

        public init(crop: CropID?, photo: String, member: String, box: FaceBox?, cropIndex: Int?, contentHash: String,
                    decision: CurationStore.Decision?, flags: Set<Flag>, outlierScore: Double?) {
            self.crop = crop; self.photo = photo; self.member = member; self.box = box; self.cropIndex = cropIndex
            self.contentHash = contentHash; self.decision = decision; self.flags = flags; self.outlierScore = outlierScore
        }
    }

    public struct MemberQueue: Sendable {
        public var member: String
        public var items: [Item]
        public var total: Int { items.count }
        public var flagged: Int { items.filter { !$0.flags.isEmpty }.count }
        public var rejected: Int { items.filter { $0.decision == .reject }.count }
    }

    public var members: [MemberQueue]

    /// Outlier rule: score > median + k * MAD of the member's scores (k = 3.5, the usual robust
    /// z-score cut-off; MAD is at least 10% of the median), and only for members with at least `outlierMinimumCrops` crops.
    public static let outlierK = 3.5
    public static let outlierMinimumCrops = 5

    /// `crops` returns the cached 64x64 crops of a photo (FaceExtractor.crops(of:)); nil skips
    /// the outlier check for that photo.
    public init(analysis: DatasetBuilder.Analysis, store: CurationStore, nearDuplicateDistance: Int = 4,
                tinyFaceSide: Int = 24, roster: Roster? = nil, crops: (PhotoFaces) -> [RGBImage]?) {
        let excludedReason = Dictionary(analysis.excluded.map { ($0.crop, $0.reason) }, uniquingKeysWith: { a, _ in a })
        var photosByHash: [String: [PhotoImport.Photo]] = [:]
        let pairs = Array(zip(analysis.photos.photos, analysis.faces)).filter { $0.1.failure == nil }
        for (photo, found) in pairs where !found.contentHash.isEmpty { photosByHash[found.contentHash, default: []].append(photo) }
        // Near duplicates: all pairs of distinct contents (n is a few thousand at most).
        var nearMembers: [String: Set<String>] = [:]  // content hash -> members of its near copies
        let distinct = pairs.filter { $0.1.perceptualHash != nil }
        var seen = Set<String>(), uniques: [(String, PerceptualHash, String)] = []
        for (photo, found) in distinct where seen.insert(found.contentHash).inserted {
            uniques.append((found.contentHash, found.perceptualHash!, photo.memberID))
        }
        for a in uniques.indices { for b in uniques.indices where a < b && uniques[a].1.distance(to: uniques[b].1) <= nearDuplicateDistance {
            nearMembers[uniques[a].0, default: []].formUnion(photosByHash[uniques[b].0]!.map(\.memberID))
            nearMembers[uniques[b].0, default: []].formUnion(photosByHash[uniques[a].0]!.map(\.memberID))
        } }

        // What the dataset builder does with undecided crops, so each item can say whether it is
        // trained on (`CropFate`): `recommended` holds back all but a photo's largest face and
        // trains on the first of byte-identical copies only.
        let recommended = analysis.report.preset == .recommended
        var firstCopy: [String: String] = [:]
        var byMember: [String: [Item]] = [:]
        var vectors: [CropID: [Float]] = [:]
        for (photo, found) in pairs {
            let copyOf = recommended ? firstCopy[found.contentHash] : nil
            if firstCopy[found.contentHash] == nil { firstCopy[found.contentHash] = photo.relativePath }
            let largest = found.faces.indices.max { found.faces[$0].width * found.faces[$0].height < found.faces[$1].width * found.faces[$1].height }
            if found.faces.isEmpty {
                byMember[photo.memberID, default: []].append(Item(crop: nil, photo: photo.relativePath, member: photo.memberID, box: nil,
                    cropIndex: nil, contentHash: found.contentHash, decision: nil, flags: [.noFace], outlierScore: nil))
                continue
            }
            let pixels = crops(found)
            for (index, box) in found.faces.enumerated() {
                let id = CropID(photoHash: found.contentHash, box: box)
                var flags = Set<Flag>()
                if found.faces.count > 1 { flags.insert(.severalFaces) }
                if (photosByHash[found.contentHash]?.count ?? 0) > 1 { flags.insert(.exactDuplicate) }
                if let near = nearMembers[found.contentHash] {
                    flags.insert(near.subtracting([photo.memberID]).isEmpty ? .nearDuplicate : .nearDuplicateAcrossMembers)
                }
                if min(box.width, box.height) < tinyFaceSide { flags.insert(.tinyFace) }
                let decision = store.decision(for: id)
                switch decision {
                case .reject?: flags.insert(.rejected)
                case .relabel?: flags.insert(.relabelled)
                default: if decision == nil && excludedReason[id] == "held for review" { flags.insert(.heldForReview) }
                }
                var item = Item(crop: id, photo: photo.relativePath, member: photo.memberID, box: box, cropIndex: index,
                                contentHash: found.contentHash, decision: decision, flags: flags, outlierScore: nil)
                item.heldUnlessKept = recommended && index != largest
                item.copyOf = copyOf
                byMember[photo.memberID, default: []].append(item)
                if let pixels, index < pixels.count { vectors[id] = Self.signature(pixels[index]) }
            }
        }
        // Outliers per member, on the member's crops that have pixels.
        for (member, items) in byMember {
            var items = items
            let withVectors = items.indices.filter { items[$0].crop.flatMap { vectors[$0] } != nil }
            let scores = Self.outlierScores(withVectors.map { vectors[items[$0].crop!]! })
            for (i, score) in zip(withVectors, scores) { items[i].outlierScore = score }
            if let cut = Self.outlierCut(scores) {
                for (i, score) in zip(withVectors, scores) where score > cut { items[i].flags.insert(.outlier) }
            }
            byMember[member] = items
        }
        let order = (roster?.members.map(\.id) ?? []) + byMember.keys.sorted()
        var done = Set<String>()
        members = order.compactMap { id in
            guard done.insert(id).inserted, let items = byMember[id] else { return nil }
            return MemberQueue(member: id, items: items.sorted(by: Self.reviewOrder))
        }
    }

    /// Records `decision` for `crop` in the queue as a rebuild would show it: the decision and its
    /// flag (rejected / relabelled) change, "held for review" goes once the user has decided (and
    /// comes back when the decision is taken back, as on an undo).
    /// Items keep their places, so the grid does not jump under the user's pointer. Every item
    /// with that crop changes (byte-identical photos share their crops' ids, and so a decision).
    /// Returns how many items changed.
    @discardableResult
    public mutating func apply(_ decision: CurationStore.Decision?, to crop: CropID) -> Int {
        var changed = 0
        for m in members.indices {
            for i in members[m].items.indices where members[m].items[i].crop == crop {
                var item = members[m].items[i]
                item.decision = decision
                item.flags.subtract([.rejected, .relabelled])
                switch decision {
                case .reject?: item.flags.insert(.rejected)
                case .relabel?: item.flags.insert(.relabelled)
                case .accept?, nil: break
                }
                if decision != nil { item.flags.remove(.heldForReview) } else if item.heldUnlessKept { item.flags.insert(.heldForReview) }
                members[m].items[i] = item
                changed += 1
            }
        }
        return changed
    }

    /// Flagged first, most serious flag first, then more flags first; then by photo path and box.
    static func reviewOrder(_ a: Item, _ b: Item) -> Bool {
        let sa = a.mostSerious?.rawValue ?? Int.max, sb = b.mostSerious?.rawValue ?? Int.max
        if sa != sb { return sa < sb }
        if a.flags.count != b.flags.count { return a.flags.count > b.flags.count }
        if a.photo != b.photo { return a.photo < b.photo }
        return (a.cropIndex ?? -1) < (b.cropIndex ?? -1)
    }

    /// A crop's cheap appearance signature: 16x16 grey (Rec.601), mean 0 and unit variance, so
    /// brightness and contrast do not matter, only the layout of light and dark.
    public static func signature(_ crop: RGBImage) -> [Float] {
        let small = (try? crop.resized(width: 16, height: 16)) ?? crop
        let n = small.width * small.height
        var grey = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let r = Float(small.pixels[i * 3]), g = Float(small.pixels[i * 3 + 1]), b = Float(small.pixels[i * 3 + 2])
            grey[i] = 0.299 * r + 0.587 * g + 0.114 * b
        }
        let count = Float(max(n, 1))
        let mean = grey.reduce(0, +) / count
        var variance: Float = 0
        for v in grey { variance += (v - mean) * (v - mean) }
        let sd = max((variance / count).squareRoot(), 1e-3)
        for i in grey.indices { grey[i] = (grey[i] - mean) / sd }
        return grey
    }

    /// Each signature's Euclidean distance to the element-wise median of all of them, divided by
    /// sqrt(dimension) (so 0 = identical layout, about 1.4 = unrelated).
    public static func outlierScores(_ signatures: [[Float]]) -> [Double] {
        guard let dim = signatures.first?.count else { return [] }
        let centre = (0..<dim).map { d in median(signatures.map { Double($0[d]) }) }
        return signatures.map { s in
            var sum = 0.0
            for d in 0..<dim { let diff = Double(s[d]) - centre[d]; sum += diff * diff }
            return (sum / Double(dim)).squareRoot()
        }
    }

    /// median + k * MAD, or nil when there are too few scores to judge.
    public static func outlierCut(_ scores: [Double]) -> Double? {
        guard scores.count >= outlierMinimumCrops else { return nil }
        let m = median(scores)
        let mad = median(scores.map { abs($0 - m) })
        // A few similar crops can have a tiny MAD; a floor of 10% of the median keeps ordinary
        // spread from being flagged.
        return m + outlierK * max(mad, 0.1 * m)
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
