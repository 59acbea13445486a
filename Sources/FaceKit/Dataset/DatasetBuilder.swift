import Foundation

/// The whole data half of training: photo root -> faces -> curation -> health report -> split ->
/// named dataset. Reads the photo folders only; writes the face cache and the dataset manifest.
public struct DatasetBuilder: Sendable {
    public var roster: Roster
    public var storage: DatasetStorage
    public var preset: DatasetPreset
    public var source: FaceSource
    public var seed: UInt64 = 0
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    public var minimumPerMember = 20
    /// dHash bits that may differ for two photos to count as near-duplicates.
    public var nearDuplicateDistance = 4
    /// Faces with a side below this many pixels are reported as tiny.
    public var tinyFaceSide = 24
    /// `recommended`: the share of each member's non-test crops carved out for validation
    /// (TrainingPreset.recommended's 15%).
    public var validationFraction = 0.15
    /// The largest member may have this many times the crops of the smallest before it is flagged.
    public var imbalanceLimit = 3.0

    /// `source` defaults to the preset's detector: Haar `original` (the write-up's parameters)
    /// or Haar `default` for `recommended`.
    public init(roster: Roster, storage: DatasetStorage, preset: DatasetPreset, source: FaceSource? = nil) {
        self.roster = roster
        self.storage = storage
        self.preset = preset
        self.source = source ?? .haar(preset == .original ? .original : .default)
    }

    /// Everything known about a photo root before the split.
    public struct Analysis: Sendable {
        public var photos: PhotoImport
        public var faces: [PhotoFaces]
        public var samples: [DatasetSample]
        public var excluded: [ExcludedCrop]
        public var classes: [String]
        public var report: HealthReport
        public var statistics: FaceExtractor.Statistics
    }

    /// Import, extraction (incremental, all cores) and curation, with the health report.
    /// `isCancelled` stops the extraction (`ExtractionCancelled`; a closure, so this layer needs no
    /// cancellation type of the training layer above it).
    public func analyse(photoRoot: URL, progress: (@Sendable (Int, Int) -> Void)? = nil,
                        isCancelled: (@Sendable () -> Bool)? = nil) throws -> Analysis {
        let photos = try PhotoImport.scan(root: photoRoot, roster: roster)
        let extractor = FaceExtractor(source: source, storage: storage, workers: workers)
        let (faces, statistics) = try extractor.extract(photos.photos.map(\.url), progress: progress, isCancelled: isCancelled)
        let curation = try CurationStore(storage: storage)

        var samples: [DatasetSample] = []
        var excluded: [ExcludedCrop] = []
        var firstCopy: [String: String] = [:]  // content hash -> first photo path with it
        for (photo, found) in zip(photos.photos, faces) where found.failure == nil {
            // `recommended` trains on one copy of byte-identical photos; `original` keeps all, as
            // the write-up's folders did.
            if let first = firstCopy[found.contentHash], preset == .recommended {
                for box in found.faces {
                    excluded.append(ExcludedCrop(crop: CropID(photoHash: found.contentHash, box: box), photo: photo.relativePath,
                                                 member: photo.memberID, reason: "exact duplicate of \(first)"))
                }
                continue
            }
            firstCopy[found.contentHash] = firstCopy[found.contentHash] ?? photo.relativePath
            // `recommended` keeps the largest face; the others wait for the user's review.
            let largest = found.faces.indices.max { found.faces[$0].width * found.faces[$0].height < found.faces[$1].width * found.faces[$1].height }
            for (index, box) in found.faces.enumerated() {
                let crop = CropID(photoHash: found.contentHash, box: box)
                var member = photo.memberID
                let decision = curation.decision(for: crop)
                switch decision {
                case .reject?:
                    excluded.append(ExcludedCrop(crop: crop, photo: photo.relativePath, member: member, reason: "rejected"))
                    continue
                case .relabel(let other)?:
                    guard roster.member(id: other) != nil else {
                        excluded.append(ExcludedCrop(crop: crop, photo: photo.relativePath, member: member,
                                                     reason: "re-labelled to \"\(other)\", who is not in roster \(roster.id)"))
                        continue
                    }
                    member = other
                case .accept?, nil:
                    if preset == .recommended && index != largest && decision == nil {
                        excluded.append(ExcludedCrop(crop: crop, photo: photo.relativePath, member: member, reason: "held for review"))
                        continue
                    }
                }
                samples.append(DatasetSample(crop: crop, photo: photo.relativePath, member: member, label: -1, split: .train,
                                             box: box, detector: source.detectorName, score: box.score))
            }
        }
        let classes = roster.members.map(\.id).filter { id in samples.contains { $0.member == id } }
        let labelOf = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        for i in samples.indices { samples[i].label = labelOf[samples[i].member]! }

        let report = makeReport(photos: photos, faces: faces, samples: samples, excluded: excluded, statistics: statistics)
        return Analysis(photos: photos, faces: faces, samples: samples, excluded: excluded, classes: classes,
                        report: report, statistics: statistics)
    }

    /// Analyses, splits and (when `name` is given) saves the dataset.
    public func build(photoRoot: URL, name: String?, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> (manifest: DatasetManifest, analysis: Analysis) {
        if let name { try DatasetStore.validate(name: name) }
        let analysis = try analyse(photoRoot: photoRoot, progress: progress)
        guard !analysis.samples.isEmpty else {
            throw DatasetError("\(photoRoot.path): no usable face crops (see `tribelens-cli dataset check --photos \(photoRoot.path)`)")
        }
        var samples = analysis.samples
        var hashes: [String: PerceptualHash] = [:]
        for faces in analysis.faces { if let hash = faces.perceptualHash { hashes[faces.contentHash] = hash } }
        DatasetSplitter.split(&samples, preset: preset, seed: seed, perceptualHashes: hashes,
                              nearDuplicateDistance: nearDuplicateDistance, validationFraction: validationFraction)
        let manifest = DatasetManifest(
            name: name ?? "", created: Date(), photoRoot: analysis.photos.root.path, roster: roster, preset: preset, seed: seed,
            faceSource: source.cacheKey, detector: source.detectorName, classes: analysis.classes, samples: samples,
            excluded: analysis.excluded, augmentationFactor: Augmentation().factor)
        if name != nil { try DatasetStore(storage: storage).save(manifest) }
        return (manifest, analysis)
    }

    // MARK: - Health report

    private func makeReport(photos: PhotoImport, faces: [PhotoFaces], samples: [DatasetSample], excluded: [ExcludedCrop],
                            statistics: FaceExtractor.Statistics) -> HealthReport {
        var unusable = photos.skippedFiles.map { HealthReport.FileProblem(path: $0.path, problem: $0.reason) }
        var several: [HealthReport.FileProblem] = []
        var tiny: [HealthReport.FileProblem] = []
        var damaged: [HealthReport.FileProblem] = []
        let usedPhotos = Set(samples.map(\.photo))
        for (photo, found) in zip(photos.photos, faces) {
            if let failure = found.failure {
                unusable.append(.init(path: photo.relativePath, problem: failure))
            } else if found.faces.isEmpty {
                unusable.append(.init(path: photo.relativePath, problem: "no face found"))
            } else if !usedPhotos.contains(photo.relativePath) {
                let reasons = Set(excluded.filter { $0.photo == photo.relativePath }.map(\.reason)).sorted()
                unusable.append(.init(path: photo.relativePath, problem: "every face excluded (\(reasons.joined(separator: ", ")))"))
            }
            if let warning = found.warning { damaged.append(.init(path: photo.relativePath, problem: warning)) }
            if found.faces.count > 1 { several.append(.init(path: photo.relativePath, problem: "\(found.faces.count) faces")) }
            if !source.wholeImage {
                for box in found.faces where min(box.width, box.height) < tinyFaceSide {
                    tiny.append(.init(path: photo.relativePath, problem: "\(box.width)x\(box.height) face at (\(box.x), \(box.y))"))
                }
            }
        }

        // Exact duplicates share a content hash; near-duplicates are close in dHash.
        let readable = zip(photos.photos, faces).filter { $0.1.failure == nil && !$0.1.contentHash.isEmpty }
        var byHash: [String: [PhotoImport.Photo]] = [:]
        for (photo, found) in readable { byHash[found.contentHash, default: []].append(photo) }
        let exact = byHash.values.filter { $0.count > 1 }
            .map { HealthReport.DuplicateGroup(paths: $0.map(\.relativePath), members: $0.map(\.memberID), distance: 0) }
            .sorted { $0.paths[0] < $1.paths[0] }
        let distinct = byHash.values.map { $0[0] }.sorted { $0.relativePath < $1.relativePath }
        let hashOf = Dictionary(readable.map { ($0.0.relativePath, $0.1) }, uniquingKeysWith: { a, _ in a })
        var parent = Array(0..<distinct.count)
        func find(_ i: Int) -> Int { var i = i; while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }; return i }
        let dhashes = distinct.map { hashOf[$0.relativePath]?.perceptualHash }
        for a in 0..<distinct.count {
            guard let ha = dhashes[a] else { continue }
            for b in (a + 1)..<max(a + 1, distinct.count) {
                guard let hb = dhashes[b] else { continue }
                let d = ha.distance(to: hb)
                if d <= nearDuplicateDistance { parent[find(a)] = find(b) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0..<distinct.count { groups[find(i), default: []].append(i) }
        let near = groups.values.filter { $0.count > 1 }.map { members in
            let distances = members.flatMap { a in members.compactMap { b in dhashes[a].flatMap { ha in dhashes[b].map { ha.distance(to: $0) } } } }
            return HealthReport.DuplicateGroup(paths: members.map { distinct[$0].relativePath },
                                               members: members.map { distinct[$0].memberID }, distance: distances.max() ?? 0)
        }.sorted { $0.paths[0] < $1.paths[0] }

        var counts: [HealthReport.MemberCount] = []
        for folder in photos.memberFolders where !counts.contains(where: { $0.member == folder.memberID }) {
            let member = roster.member(id: folder.memberID)!
            let mine = zip(photos.photos, faces).filter { $0.0.memberID == member.id }
            counts.append(HealthReport.MemberCount(
                member: member.id, name: member.ja == member.romaji ? member.ja : "\(member.ja) (\(member.romaji))",
                folders: photos.memberFolders.filter { $0.memberID == member.id }.map(\.folderName),
                photos: mine.count,
                faces: mine.reduce(0) { $0 + $1.1.faces.count },
                usable: samples.filter { $0.member == member.id }.count,
                noFace: mine.filter { $0.1.failure == nil && $0.1.faces.isEmpty }.count,
                severalFaces: mine.filter { $0.1.faces.count > 1 }.count,
                rejected: excluded.filter { $0.member == member.id && $0.reason == "rejected" }.count,
                heldForReview: excluded.filter { $0.member == member.id && $0.reason == "held for review" }.count))
        }
        let usableCounts = counts.map(\.usable).filter { $0 > 0 }
        let ratio = usableCounts.isEmpty ? 1 : Double(usableCounts.max()!) / Double(usableCounts.min()!)
        return HealthReport(
            photoRoot: photos.root.path, roster: roster.id, preset: preset, detector: source.detectorName, members: counts,
            unmatchedFolders: photos.unmatchedFolders, emptyFolders: photos.emptyFolders,
            unusableFiles: unusable.sorted { $0.path < $1.path }, severalFaces: several, tinyFaces: tiny,
            damagedFiles: damaged,
            exactDuplicates: exact, nearDuplicates: near, minimumPerMember: minimumPerMember,
            membersBelowMinimum: counts.filter { $0.usable < minimumPerMember }.map(\.member),
            imbalanceRatio: ratio, imbalanced: ratio > imbalanceLimit,
            totals: .init(files: photos.photos.count + photos.skippedFiles.count, photos: photos.photos.count,
                          faces: faces.reduce(0) { $0 + $1.faces.count }, usable: samples.count,
                          extractionSeconds: statistics.seconds, photosFromCache: statistics.fromCache))
    }
}
