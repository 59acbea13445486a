import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// The curation queue on a generated photo root: 64x64 "faces" (a dark eye band on a light face,
/// with seeded block noise so every photo has its own dHash), plus one upside-down checkerboard.
final class CurationQueueTests: XCTestCase {
    /// Red channel of pixel (0, 0) tells the fake detector what to find: 1 = nothing, 2 = two faces.
    static let detector = FakeFaceDetector(name: "fake-marker") { image in
        switch image.pixels[0] {
        case 1: return []
        case 2: return [FaceBox(x: 0, y: 0, width: 32, height: 64, score: nil), FaceBox(x: 32, y: 0, width: 32, height: 64, score: nil)]
        default: return [FaceBox(x: 0, y: 0, width: image.width, height: image.height, score: nil)]
        }
    }

    static func face(seed: UInt64, marker: UInt8 = 0, shift: Int = 0) -> RGBImage {
        // A small LCG is enough for test noise (deterministic per seed).
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        let blocks = (0..<64).map { _ -> Int in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % 61 - 30
        }
        var pixels = [UInt8](repeating: 0, count: 64 * 64 * 3)
        for y in 0..<64 { for x in 0..<64 {
            let base = (y >= 18 && y < 28) ? 60 : 190
            let v = UInt8(clamping: base + blocks[(y / 8) * 8 + x / 8] + shift)
            for c in 0..<3 { pixels[(y * 64 + x) * 3 + c] = v }
        } }
        pixels[0] = marker
        return RGBImage(width: 64, height: 64, pixels: pixels)
    }

    static func checkerboard() -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: 64 * 64 * 3)
        for y in 0..<64 { for x in 0..<64 where ((x / 8) + (y / 8)) % 2 == 0 { for c in 0..<3 { pixels[(y * 64 + x) * 3 + c] = 230 } } }
        pixels[0] = 0
        return RGBImage(width: 64, height: 64, pixels: pixels)
    }

    func makeQueue(decisions: [(Int, CurationStore.Decision)] = []) throws -> (CurationQueue, DatasetBuilder.Analysis) {
        let (home, storage) = try DatasetTestSupport.temporaryHome("curation")
        addTeardownBlock { try? FileManager.default.removeItem(at: home) }
        let root = home.appendingPathComponent("photos")
        for member in ["Alice", "Bob"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(member), withIntermediateDirectories: true)
        }
        let a = root.appendingPathComponent("Alice"), b = root.appendingPathComponent("Bob")
        for i in 0..<8 { try Self.face(seed: UInt64(i + 1)).write(to: a.appendingPathComponent("a\(i).png")) }
        try Self.checkerboard().write(to: a.appendingPathComponent("odd.png"))
        try Self.face(seed: 100, marker: 1).write(to: a.appendingPathComponent("empty.png"))
        try Self.face(seed: 101, marker: 2).write(to: a.appendingPathComponent("pair.png"))
        try FileManager.default.copyItem(at: a.appendingPathComponent("a0.png"), to: a.appendingPathComponent("a0-copy.png"))
        for i in 0..<6 { try Self.face(seed: UInt64(200 + i)).write(to: b.appendingPathComponent("b\(i).png")) }
        // a1 brightened a little: a different file, the same dHash, in another member's folder.
        try Self.face(seed: 2, shift: 4).write(to: b.appendingPathComponent("a1-again.png"))

        let source = FaceSource.custom(cacheKey: "curation-test", detector: Self.detector)
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(["Alice", "Bob"]), storage: storage, preset: .recommended, source: source)
        var analysis = try builder.analyse(photoRoot: root)
        var store = try CurationStore(storage: storage)
        if !decisions.isEmpty {
            let aliceCrops = zip(analysis.photos.photos, analysis.faces).filter { $0.0.memberID == "alice" && !$0.1.faces.isEmpty }
                .sorted { $0.0.relativePath < $1.0.relativePath }
            for (index, decision) in decisions {
                store.set(decision, for: CropID(photoHash: aliceCrops[index].1.contentHash, box: aliceCrops[index].1.faces[0]))
            }
            try store.save()
            analysis = try builder.analyse(photoRoot: root)
            store = try CurationStore(storage: storage)
        }
        let extractor = FaceExtractor(source: source, storage: storage, workers: 1)
        let queue = CurationQueue(analysis: analysis, store: store, nearDuplicateDistance: builder.nearDuplicateDistance,
                                  tinyFaceSide: 24, roster: builder.roster) { try? extractor.crops(of: $0) }
        return (queue, analysis)
    }

    func item(_ queue: CurationQueue, _ member: String, _ photo: String, index: Int = 0) throws -> CurationQueue.Item {
        let items = try XCTUnwrap(queue.members.first { $0.member == member }).items
        return try XCTUnwrap(items.first { $0.photo.hasSuffix("/" + photo) && ($0.cropIndex ?? 0) == index }, "\(photo) not in \(items.map(\.photo))")
    }

    func testFlagsOutlierDuplicatesAndOrder() throws {
        let (queue, _) = try makeQueue()
        XCTAssertEqual(queue.members.map(\.member), ["alice", "bob"])
        let alice = queue.members[0]
        // 8 faces + copy + odd + pair(2) + empty.
        XCTAssertEqual(alice.total, 13)

        let odd = try item(queue, "alice", "odd.png")
        XCTAssertTrue(odd.flags.contains(.outlier), "\(odd)")
        for i in 2..<8 { let flags = try item(queue, "alice", "a\(i).png").flags; XCTAssertFalse(flags.contains(.outlier), "a\(i)") }
        for i in 0..<6 { let flags = try item(queue, "bob", "b\(i).png").flags; XCTAssertEqual(flags, [], "b\(i)") }
        let oddScore = try XCTUnwrap(try item(queue, "alice", "odd.png").outlierScore)
        let normalMax = try (2..<8).map { try XCTUnwrap(try item(queue, "alice", "a\($0).png").outlierScore) }.max()!
        XCTAssertGreaterThan(oddScore, 2 * normalMax)

        let empty = try item(queue, "alice", "empty.png")
        XCTAssertEqual(empty.flags, [.noFace]); XCTAssertNil(empty.crop)
        XCTAssertTrue(try item(queue, "alice", "a0.png").flags.contains(.exactDuplicate))
        XCTAssertTrue(try item(queue, "alice", "a0-copy.png").flags.contains(.exactDuplicate))
        XCTAssertTrue(try item(queue, "alice", "a1.png").flags.contains(.nearDuplicateAcrossMembers))
        XCTAssertTrue(try item(queue, "bob", "a1-again.png").flags.contains(.nearDuplicateAcrossMembers))
        let pair = [try item(queue, "alice", "pair.png", index: 0), try item(queue, "alice", "pair.png", index: 1)]
        XCTAssertTrue(pair.allSatisfy { $0.flags.contains(.severalFaces) })
        // `recommended` keeps one of the two equal-sized faces and holds the other for review.
        XCTAssertEqual(pair.filter { $0.flags.contains(.heldForReview) }.count, 1)

        // Order: no face first, then by severity; every flagged item before every clean one.
        XCTAssertEqual(alice.items.first?.photo, "Alice/empty.png")
        let severities = alice.items.map { $0.mostSerious?.rawValue ?? Int.max }
        XCTAssertEqual(severities, severities.sorted())
        XCTAssertEqual(alice.flagged, alice.items.prefix { !$0.flags.isEmpty }.count)
        XCTAssertEqual(alice.items.suffix(alice.total - alice.flagged).map(\.photo), (2..<8).map { "Alice/a\($0).png" })
    }

    func testStoredDecisionsAreShown() throws {
        // Sorted Alice photos with faces: a0-copy, a0, a1, ...: reject a0, relabel a1 to Bob.
        let (queue, analysis) = try makeQueue(decisions: [(1, .reject), (2, .relabel(memberID: "bob"))])
        let copy = try item(queue, "alice", "a0-copy.png"), a1 = try item(queue, "alice", "a1.png")
        XCTAssertEqual(copy.decision, .reject); XCTAssertTrue(copy.flags.contains(.rejected))
        XCTAssertEqual(a1.decision, .relabel(memberID: "bob")); XCTAssertTrue(a1.flags.contains(.relabelled))
        // a0 and a0-copy are the same content, so the same CropID: one decision covers both.
        XCTAssertEqual(try item(queue, "alice", "a0.png").decision, .reject)
        XCTAssertEqual(queue.members[0].rejected, 2)
        XCTAssertTrue(analysis.excluded.contains { $0.crop == copy.crop && $0.reason == "rejected" })
    }

    func testApplyingADecisionMatchesARebuild() throws {
        var (queue, _) = try makeQueue()
        let pair = try item(queue, "alice", "pair.png", index: 0).flags.contains(.heldForReview)
            ? try item(queue, "alice", "pair.png", index: 0) : try item(queue, "alice", "pair.png", index: 1)
        let order = queue.members[0].items.map(\.photo)
        let a0 = try XCTUnwrap(try item(queue, "alice", "a0.png").crop)
        // a0 and a0-copy share the crop id: both change, as after a rebuild.
        XCTAssertEqual(queue.apply(.reject, to: a0), 2)
        XCTAssertEqual(try item(queue, "alice", "a0-copy.png").decision, .reject)
        XCTAssertTrue(try item(queue, "alice", "a0-copy.png").flags.contains(.rejected))
        XCTAssertEqual(queue.members[0].rejected, 2)
        XCTAssertEqual(queue.members[0].items.map(\.photo), order, "items keep their places")

        // Relabelling replaces the rejection; deciding on a held crop ends "held for review".
        queue.apply(.relabel(memberID: "bob"), to: a0)
        let relabelled = try item(queue, "alice", "a0.png")
        XCTAssertEqual(relabelled.flags.intersection([.rejected, .relabelled]), [.relabelled])
        XCTAssertEqual(queue.members[0].rejected, 0)
        queue.apply(.accept, to: try XCTUnwrap(pair.crop))
        let kept = try XCTUnwrap(queue.members[0].items.first { $0.crop == pair.crop })
        XCTAssertEqual(kept.decision, .accept)
        XCTAssertFalse(kept.flags.contains(.heldForReview))
        XCTAssertTrue(kept.flags.contains(.severalFaces), "what the photo is stays flagged")
        XCTAssertEqual(queue.apply(.reject, to: CropID(photoHash: "nothing", box: FaceBox(x: 0, y: 0, width: 1, height: 1, score: nil))), 0)
    }

    func testOutlierCutIsMedianPlusKMAD() {
        let scores = [0.1, 0.2, 0.3, 0.4, 0.5, 3.0]
        // median 0.35, MAD median(|x - 0.35|) = median(0.25, 0.15, 0.05, 0.05, 0.15, 2.65) = 0.15.
        XCTAssertEqual(CurationQueue.outlierCut(scores)!, 0.35 + CurationQueue.outlierK * 0.15, accuracy: 1e-12)
        XCTAssertNil(CurationQueue.outlierCut(Array(scores.prefix(4))))
        // All equal: the floor (10% of the median) keeps the cut above them.
        XCTAssertEqual(CurationQueue.outlierCut([0.4, 0.4, 0.4, 0.4, 0.4])!, 0.4 + CurationQueue.outlierK * 0.04, accuracy: 1e-12)
        // Signatures ignore brightness and contrast.
        let face = Self.face(seed: 9)
        let brighter = RGBImage(width: 64, height: 64, pixels: face.pixels.map { UInt8(min(255, Int($0) / 2 + 40)) })
        let s1 = CurationQueue.signature(face), s2 = CurationQueue.signature(brighter)
        XCTAssertLessThan(zip(s1, s2).map { abs($0 - $1) }.max()!, 0.05)
    }
}

/// Numbers for docs/dataset.md on the shared data (skips without ../shared).
final class CurationQueueSharedDataTests: XCTestCase {
    func queue(_ name: String) throws -> CurationQueue {
        let root = try DatasetTestSupport.shared(name)
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()
        let (home, storage) = try DatasetTestSupport.temporaryHome("curation-\(name)")
        addTeardownBlock { try? FileManager.default.removeItem(at: home) }
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(folders, id: name), storage: storage, preset: .recommended, source: .alreadyCropped)
        let analysis = try builder.analyse(photoRoot: root)
        let extractor = FaceExtractor(source: .alreadyCropped, storage: storage, workers: builder.workers)
        let queue = CurationQueue(analysis: analysis, store: try CurationStore(storage: storage), roster: builder.roster) { try? extractor.crops(of: $0) }
        for member in queue.members {
            let outliers = member.items.filter { $0.flags.contains(.outlier) }
            print("CURATION \(name) \(member.member): \(member.total) items, \(member.flagged) flagged, \(outliers.count) outliers \(outliers.map(\.photo))")
        }
        return queue
    }

    func testKpopCropsOutliersAreFew() throws {
        let queue = try queue("kpop-crops14")
        XCTAssertEqual(queue.members.count, 14)
        XCTAssertGreaterThan(queue.members.flatMap(\.items).filter { $0.flags.contains(.outlier) }.count, 0)
        for member in queue.members {
            let outliers = member.items.filter { $0.flags.contains(.outlier) }.count
            // A robust cut flags a handful (measured: 8 of 345 crops, at most 2 per member), never
            // more than a fifth of a member's crops.
            XCTAssertLessThanOrEqual(outliers * 5, member.total, member.member)
            XCTAssertGreaterThan(member.total, 0)
        }
    }

    func testMessyScrapeNearDuplicateIsFlagged() throws {
        let queue = try queue("messy-scrape")
        let lisa = try XCTUnwrap(queue.members.first { $0.member == "lisa-manoban" })
        let item = try XCTUnwrap(lisa.items.first { $0.photo == "lisa_manoban/lisa131.jpg" })
        XCTAssertTrue(item.flags.contains(.nearDuplicate) || item.flags.contains(.nearDuplicateAcrossMembers), "\(item.flags)")
    }
}
