import Foundation
import XCTest
import SharedTestSupport
import FaceKit

/// Builds datasets from the shared photo sets and checks counts, split sizes, augmentation,
/// determinism, incrementality, curation, and that photo folders are never written.
final class DatasetBuildTests: XCTestCase {
    private let lfwMembers = ["George_Robertson", "Jennifer_Aniston", "Paul_Bremer", "Tiger_Woods"]
    private var cleanup: [URL] = []

    override func tearDown() {
        for url in cleanup { try? FileManager.default.removeItem(at: url) }
        cleanup = []
    }

    private func home(_ label: String) throws -> (root: URL, storage: DatasetStorage) {
        let home = try DatasetTestSupport.temporaryHome(label)
        cleanup.append(home.root)
        return home
    }

    private func fileCount(_ folder: URL) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.count
    }

    // MARK: - lfw-dev38

    func testLFWBuildHasExpectedCountsSplitSizesAndNineTimesAugmentation() throws {
        let lfw = try DatasetTestSupport.shared("lfw-dev38")
        let (_, storage) = try home("lfw")
        let roster = DatasetTestSupport.roster(lfwMembers + ["Nobody_Here"])
        let before = try DatasetTestSupport.snapshot(lfw)

        var builder = DatasetBuilder(roster: roster, storage: storage, preset: .original,
                                     source: .custom(cacheKey: "fake-centre", detector: DatasetTestSupport.centreDetector))
        builder.seed = 7
        let (manifest, analysis) = try builder.build(photoRoot: lfw, name: "lfw-four")
        XCTAssertEqual(try DatasetTestSupport.snapshot(lfw), before, "photo folder changed")

        // One crop per photo (the fake detector finds one face everywhere).
        let expected = try lfwMembers.map { try fileCount(lfw.appendingPathComponent($0)) }
        XCTAssertEqual(expected, [22, 21, 20, 23])
        XCTAssertEqual(manifest.classes, lfwMembers.map { $0.lowercased().replacingOccurrences(of: "_", with: "-") })
        for (label, count) in expected.enumerated() {
            let mine = manifest.samples.filter { $0.label == label }
            XCTAssertEqual(mine.count, count)
            XCTAssertEqual(mine.filter { $0.split == .test }.count, count / 5, "write-up: len // 5 to test")
            XCTAssertEqual(mine.filter { $0.split == .train }.count, count - count / 5)
        }
        XCTAssertEqual(manifest.samples(in: .validation).count, 0, "original has no validation set")
        // The other 34 lfw folders match no member of this roster; they are reported, not fatal.
        XCTAssertEqual(analysis.report.unmatchedFolders.count, 34)
        XCTAssertTrue(analysis.report.members.allSatisfy { $0.noFace == 0 && $0.usable == $0.photos })

        // Tensors: 9 augmented images per training crop, plain crops for test.
        let tensors = try manifest.tensors(storage: storage)
        let train = manifest.samples(in: .train).count
        XCTAssertEqual(tensors.train.count, 9 * train)
        XCTAssertEqual(tensors.train.pixels.count, 9 * train * 64 * 64 * 3)
        XCTAssertEqual(tensors.test.count, manifest.samples(in: .test).count)
        XCTAssertEqual(tensors.validationOrTest.count, tensors.test.count)
        let source = try tensors.train.samples()
        XCTAssertEqual(source.count, tensors.train.count)
        XCTAssertEqual(source.labels, tensors.train.labels)
        XCTAssertEqual(Set(tensors.train.labels), Set(0..<4).map(Int32.init).reduce(into: Set<Int32>()) { $0.insert($1) })
        // The first training crop's nine images are the augmentation of its cached crop.
        let first = manifest.samples(in: .train)[0]
        let crop = try XCTUnwrap(try FaceExtractor(source: .custom(cacheKey: "fake-centre", detector: DatasetTestSupport.centreDetector), storage: storage)
            .crops(of: XCTUnwrap(FaceExtractor(source: .custom(cacheKey: "fake-centre", detector: DatasetTestSupport.centreDetector), storage: storage)
                .cachedFaces(contentHash: first.crop.photoHash))).first)
        let nine = try Augmentation().augment(crop)
        for i in 0..<9 { XCTAssertEqual(tensors.train.image(at: i), nine[i]) }
        XCTAssertEqual(tensors.train.labels[0..<9].allSatisfy { Int($0) == first.label }, true)

        // The dataset is listed and reloads identically.
        let stored = try DatasetStore(storage: storage).load(name: "lfw-four")
        XCTAssertEqual(stored.samples, manifest.samples)
        XCTAssertEqual(stored.fingerprint, manifest.fingerprint)
        var moved = manifest
        moved.samples[0].split = moved.samples[0].split == .test ? .train : .test
        XCTAssertNotEqual(moved.fingerprint, manifest.fingerprint, "the fingerprint must see the split")
        XCTAssertEqual(DatasetStore(storage: storage).list().map(\.name), ["lfw-four"])
        XCTAssertEqual(try DatasetTestSupport.snapshot(lfw), before, "photo folder changed")
    }

    func testSameSeedSameSplitAndOtherSeedOtherSplit() throws {
        let lfw = try DatasetTestSupport.shared("lfw-dev38")
        let (_, storage) = try home("seed")
        func split(_ seed: UInt64, _ preset: DatasetPreset) throws -> [String: SplitPart] {
            var builder = DatasetBuilder(roster: DatasetTestSupport.roster(lfwMembers), storage: storage, preset: preset,
                                         source: .custom(cacheKey: "fake-centre", detector: DatasetTestSupport.centreDetector))
            builder.seed = seed
            let manifest = try builder.build(photoRoot: lfw, name: nil).manifest
            return Dictionary(uniqueKeysWithValues: manifest.samples.map { ($0.photo, $0.split) })
        }
        for preset in DatasetPreset.allCases {
            let a = try split(42, preset), b = try split(42, preset), c = try split(43, preset)
            XCTAssertEqual(a, b, "\(preset): same seed, same split")
            XCTAssertNotEqual(a, c, "\(preset): another seed should move some photos")
        }
    }

    func testRealHaarFindsFacesInMostLFWPhotosUsingBothCoresAndIncrementally() throws {
        let lfw = try DatasetTestSupport.shared("lfw-dev38")
        let (root, storage) = try home("haar")
        let photos = try DatasetTestSupport.copySubset(of: lfw, members: Array(lfwMembers.prefix(2)), limit: 12, into: root)
        let before = try DatasetTestSupport.snapshot(photos)
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(lfwMembers), storage: storage, preset: .recommended)
        XCTAssertEqual(builder.workers, ProcessInfo.processInfo.activeProcessorCount)

        let first = try builder.analyse(photoRoot: photos)
        XCTAssertEqual(first.statistics.photos, 24)
        XCTAssertEqual(first.statistics.processed, 24)
        // LFW photos are centred portraits: the default Haar preset finds a face in nearly all.
        let withFace = first.faces.filter { !$0.faces.isEmpty }.count
        XCTAssertGreaterThanOrEqual(withFace, 22, "Haar found faces in only \(withFace) of 24 LFW photos")
        // recommended keeps one crop per photo (the largest), holding the rest for review.
        XCTAssertEqual(first.samples.count, withFace)
        XCTAssertEqual(first.excluded.count, first.faces.reduce(0) { $0 + max(0, $1.faces.count - 1) })
        XCTAssertTrue(first.samples.allSatisfy { $0.detector == "haar-default" })

        // A second run reads everything from the cache; a new photo is the only one processed.
        XCTAssertEqual(try builder.analyse(photoRoot: photos).statistics.fromCache, 24)
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), before)
        let extra = try FileManager.default.contentsOfDirectory(atPath: lfw.appendingPathComponent(lfwMembers[0]).path).sorted()[12]
        try FileManager.default.copyItem(at: lfw.appendingPathComponent(lfwMembers[0]).appendingPathComponent(extra),
                                         to: photos.appendingPathComponent(lfwMembers[0]).appendingPathComponent(extra))
        let third = try builder.analyse(photoRoot: photos)
        XCTAssertEqual(third.statistics.processed, 1)
        XCTAssertEqual(third.statistics.fromCache, 24)
    }

    // MARK: - Curation

    func testRejectionSurvivesRenamingThePhotoAndRebuilding() throws {
        let lfw = try DatasetTestSupport.shared("lfw-dev38")
        let (root, storage) = try home("reject")
        let members = Array(lfwMembers.prefix(2))
        let photos = try DatasetTestSupport.copySubset(of: lfw, members: members, limit: 6, into: root)
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(members), storage: storage, preset: .original,
                                     source: .custom(cacheKey: "fake-centre", detector: DatasetTestSupport.centreDetector))
        let first = try builder.build(photoRoot: photos, name: "curated").manifest
        XCTAssertEqual(first.samples.count, 12)
        let victim = try XCTUnwrap(first.samples.first { $0.photo.hasPrefix(members[0]) })
        let relabelled = try XCTUnwrap(first.samples.last { $0.photo.hasPrefix(members[0]) })

        var curation = try CurationStore(storage: storage)
        curation.set(.reject, for: victim.crop)
        curation.set(.relabel(memberID: DatasetTestSupport.roster(members).members[1].id), for: relabelled.crop)
        try curation.save()

        // Rename the rejected photo and move it into the other member's folder.
        let old = photos.appendingPathComponent(victim.photo)
        let new = photos.appendingPathComponent(members[1]).appendingPathComponent("renamed-\(UUID().uuidString.prefix(6)).jpg")
        try FileManager.default.moveItem(at: old, to: new)
        let snapshot = try DatasetTestSupport.snapshot(photos)

        let second = try builder.build(photoRoot: photos, name: "curated")
        XCTAssertEqual(try DatasetTestSupport.snapshot(photos), snapshot)
        XCTAssertEqual(second.manifest.samples.count, 11, "12 crops minus the rejected one")
        XCTAssertFalse(second.manifest.samples.contains { $0.crop == victim.crop })
        let excluded = try XCTUnwrap(second.manifest.excluded.first { $0.crop == victim.crop })
        XCTAssertEqual(excluded.reason, "rejected")
        XCTAssertEqual(excluded.photo, members[1] + "/" + new.lastPathComponent)
        XCTAssertEqual(second.manifest.samples.first { $0.crop == relabelled.crop }?.member, DatasetTestSupport.roster(members).members[1].id)
        XCTAssertEqual(second.analysis.report.members.first { $0.member == DatasetTestSupport.roster(members).members[1].id }?.rejected, 1)

        // The decision file reloads to the same decisions.
        XCTAssertEqual(try CurationStore(storage: storage), curation)
    }

    // MARK: - kpop-crops14 and messy-scrape

    func testKpopCropsBuildAlreadyCroppedAndReportExactDuplicates() throws {
        let kpop = try DatasetTestSupport.shared("kpop-crops14")
        let (_, storage) = try home("kpop")
        let folders = try FileManager.default.contentsOfDirectory(atPath: kpop.path).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(folders.count, 14)
        let before = try DatasetTestSupport.snapshot(kpop)
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(folders, id: "kpop"), storage: storage, preset: .recommended, source: .alreadyCropped)
        let (manifest, analysis) = try builder.build(photoRoot: kpop, name: "kpop")
        XCTAssertEqual(try DatasetTestSupport.snapshot(kpop), before)

        // Independent duplicate finding: group files by their raw bytes.
        var byBytes: [Data: [String]] = [:]
        var total = 0
        for folder in folders {
            for file in try FileManager.default.contentsOfDirectory(atPath: kpop.appendingPathComponent(folder).path) where !file.hasPrefix(".") {
                byBytes[try Data(contentsOf: kpop.appendingPathComponent(folder).appendingPathComponent(file)), default: []].append("\(folder)/\(file)")
                total += 1
            }
        }
        let expectedGroups = Set(byBytes.values.filter { $0.count > 1 }.map { Set($0) })
        XCTAssertEqual(expectedGroups.count, 11)
        XCTAssertEqual(Set(analysis.report.exactDuplicates.map { Set($0.paths) }), expectedGroups)
        XCTAssertEqual(analysis.report.totals.photos, total)
        // Every readable crop is used whole, except that recommended trains on one copy of each
        // duplicate and reports the other.
        XCTAssertEqual(manifest.samples.count + analysis.report.unusableFiles.count, total)
        for group in expectedGroups {
            XCTAssertEqual(manifest.samples.filter { group.contains($0.photo) }.count, 1, "\(group)")
            let reported = analysis.report.unusableFiles.filter { group.contains($0.path) }
            XCTAssertEqual(reported.count, 1)
            XCTAssertTrue(reported.allSatisfy { $0.problem.contains("exact duplicate of") }, "\(reported)")
        }
        // The original preset keeps both copies, as the write-up's folders did.
        let original = try DatasetBuilder(roster: DatasetTestSupport.roster(folders, id: "kpop"), storage: storage, preset: .original,
                                          source: .alreadyCropped).build(photoRoot: kpop, name: nil).manifest
        XCTAssertEqual(original.samples.count, total)
        XCTAssertEqual(try DatasetTestSupport.snapshot(kpop), before)
        // Validation: 15% of each member's non-test crops (one cluster may overshoot by its size).
        for label in manifest.classes.indices {
            let mine = manifest.samples.filter { $0.label == label }
            let test = mine.filter { $0.split == .test }.count, validation = mine.filter { $0.split == .validation }.count
            XCTAssertGreaterThanOrEqual(test, mine.count / 5)
            XCTAssertGreaterThanOrEqual(validation, Int(Double(mine.count - test) * 0.15), manifest.classes[label])
            XCTAssertLessThanOrEqual(validation, Int(Double(mine.count - test) * 0.15) + 1, manifest.classes[label])
        }
        XCTAssertGreaterThan(manifest.samples(in: .validation).count, 0)
        XCTAssertEqual(manifest.memberGroups["arin"], ["All"])
        let text = analysis.report.text
        XCTAssertTrue(text.contains("Exact duplicates (11):"), text)
    }

    func testMessyScrapeBuildsAndReportsEveryUnusableFile() throws {
        let messy = try DatasetTestSupport.shared("messy-scrape")
        let (_, storage) = try home("messy")
        let folders = try FileManager.default.contentsOfDirectory(atPath: messy.path).filter { !$0.hasPrefix(".") }.sorted()
        let before = try DatasetTestSupport.snapshot(messy)
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(folders, id: "messy"), storage: storage, preset: .recommended)
        let (manifest, analysis) = try builder.build(photoRoot: messy, name: "messy")
        XCTAssertEqual(try DatasetTestSupport.snapshot(messy), before)

        // Every file either gives a crop to the dataset or is in the report with a reason.
        var files: Set<String> = []
        for folder in folders {
            for file in try FileManager.default.contentsOfDirectory(atPath: messy.appendingPathComponent(folder).path) where !file.hasPrefix(".") {
                files.insert("\(folder)/\(file)")
            }
        }
        let used = Set(manifest.samples.map(\.photo))
        let reported = Set(analysis.report.unusableFiles.map(\.path))
        XCTAssertEqual(used.union(reported), files, "files neither used nor reported: \(files.subtracting(used.union(reported)).sorted())")
        XCTAssertTrue(used.isDisjoint(with: reported))
        XCTAssertEqual(analysis.report.unusableFiles.first { $0.path == "jisoo_kim/arrow_down.png" }?.problem,
                       "too small to hold a face (7x4)")
        XCTAssertTrue(analysis.report.unusableFiles.allSatisfy { !$0.problem.isEmpty })
        XCTAssertGreaterThan(used.count, 0)
    }

    // MARK: - Small pieces

    func testSHA256MatchesFIPSVectors() throws {
        XCTAssertEqual(ContentHash.sha256(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(ContentHash.sha256(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(ContentHash.sha256(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(ContentHash.sha256(Data(repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testSeededGeneratorIsSplitMix64AndShuffleIsAPermutation() {
        var generator = SeededGenerator(seed: 0)
        XCTAssertEqual(generator.next(), 0xE220_A839_7B1D_CDAF)  // SplitMix64's published first output for seed 0
        var items = Array(0..<50)
        generator.shuffle(&items)
        XCTAssertEqual(items.sorted(), Array(0..<50))
        XCTAssertNotEqual(items, Array(0..<50))
    }

    func testBadNamesAndMissingRootsAreOneLineErrors() throws {
        let (root, storage) = try home("errors")
        let builder = DatasetBuilder(roster: DatasetTestSupport.roster(["A"]), storage: storage, preset: .original, source: .alreadyCropped)
        XCTAssertThrowsError(try builder.build(photoRoot: root.appendingPathComponent("missing"), name: "x")) { error in
            XCTAssertEqual("\(error)", "\(root.appendingPathComponent("missing").path): not a folder of photo folders")
        }
        XCTAssertThrowsError(try builder.build(photoRoot: root, name: "../evil")) { error in
            XCTAssertTrue("\(error)".contains("not a valid dataset name"), "\(error)")
        }
        XCTAssertThrowsError(try builder.build(photoRoot: root, name: "empty")) { error in
            XCTAssertTrue("\(error)".contains("no usable face crops"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetStore(storage: storage).load(name: "nothing")) { error in
            XCTAssertEqual("\(error)", "no dataset named \"nothing\" (`tribelens-cli dataset list` shows them)")
        }
    }
}
