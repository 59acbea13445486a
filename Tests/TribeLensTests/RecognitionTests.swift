import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// The UI-free parts of "who is in this photo": what a face box says, the name preference,
/// corrections into the curation store, which photo is labelled next, the photo geometry the
/// face targets share with the drawing, and the PNG export.
final class RecognitionTests: XCTestCase {
    static let roster = Roster(
        id: "t", name: "Test",
        groups: [Roster.Group(id: "exile", name: "EXILE", short: "EXILE"),
                 Roster.Group(id: "jsb", name: "三代目 J SOUL BROTHERS from EXILE TRIBE", short: "三代目")],
        members: [Roster.Member(id: "takahiro", ja: "TAKAHIRO", romaji: "Takahiro", groups: ["exile"]),
                  Roster.Member(id: "naoki", ja: "小林直己", romaji: "Naoki Kobayashi", groups: ["exile", "jsb"]),
                  Roster.Member(id: "ryuji", ja: "今市隆二", romaji: "Ryuji Imaichi", groups: ["jsb"])])
    static let directory = MemberDirectory(classes: ["takahiro", "naoki", "ryuji"], roster: roster)

    /// FaceLabel has no public initialiser (FaceKit makes them); decoded from its JSON form.
    static func label(_ member: String?, _ p: Double, groups: [String] = [], group: String? = nil) -> FaceLabel {
        var object: [String: Any] = ["groups": groups, "probability": p,
                                     "top": [["member": "naoki", "probability": 0.6], ["member": "ryuji", "probability": 0.3],
                                             ["member": "takahiro", "probability": 0.1]]]
        if let member { object["member"] = member }
        if let group { object["group"] = group }
        return try! JSONDecoder().decode(FaceLabel.self, from: JSONSerialization.data(withJSONObject: object))
    }

    func testAMemberIsNamedWithGroupsAndProbabilityColouredByConfidence() {
        let sure = FaceAnnotation(index: 0, label: Self.label("naoki", 0.874,
                                                              groups: ["EXILE", "三代目 J SOUL BROTHERS from EXILE TRIBE"]),
                                  correction: nil, directory: Self.directory, script: .japanese)
        XCTAssertEqual(sure.title, "小林直己")
        XCTAssertEqual(sure.detail, "EXILE・三代目 · 87%")
        XCTAssertEqual(sure.tone, .sure)
        XCTAssertEqual(sure.accessibleName, "Face 1: 小林直己, EXILE・三代目, 87%")

        let romaji = FaceAnnotation(index: 1, label: Self.label("naoki", 0.79, groups: ["EXILE"]), correction: nil,
                                    directory: Self.directory, script: .romaji)
        XCTAssertEqual(romaji.title, "Naoki Kobayashi")
        XCTAssertEqual(romaji.tone, .likely)  // below 0.8
        XCTAssertEqual(FaceAnnotation(index: 0, label: Self.label("naoki", 0.8), correction: nil,
                                      directory: Self.directory, script: .romaji).tone, .sure)
    }

    func testTheColourFollowsTheModelsCalibratedConfidenceNotTheSoftmax() {
        // A wrong member at 97% from a model whose calibration says 97% is not sure: orange.
        var wrong = Self.label("naoki", 0.97)
        wrong.sure = false
        XCTAssertEqual(FaceAnnotation(index: 0, label: wrong, correction: nil, directory: Self.directory, script: .romaji).tone, .likely)
        var calibrated = Self.label("naoki", 0.7)
        calibrated.sure = true
        XCTAssertEqual(FaceAnnotation(index: 0, label: calibrated, correction: nil, directory: Self.directory, script: .romaji).tone, .sure)
    }

    func testANameTheModelIsNotSureOfSaysSoInWords() {
        var unsure = Self.label("naoki", 0.97, groups: ["EXILE"])
        unsure.sure = false
        let likely = FaceAnnotation(index: 0, label: unsure, correction: nil, directory: Self.directory, script: .romaji)
        XCTAssertEqual(likely.heading, "probably Naoki Kobayashi, low confidence")
        XCTAssertEqual(likely.tone, .likely)
        unsure.sure = true
        let sure = FaceAnnotation(index: 0, label: unsure, correction: nil, directory: Self.directory, script: .romaji)
        XCTAssertEqual(sure.heading, "Naoki Kobayashi")
    }

    func testBelowTheThresholdAFaceIsUnknownWithItsGroupWhenClear() {
        let group = FaceAnnotation(index: 1, label: Self.label(nil, 0.9, groups: ["EXILE"], group: "EXILE"),
                                   correction: nil, directory: Self.directory, script: .romaji)
        XCTAssertEqual(group.accessibleName, "Face 2: unknown, probably EXILE, 90%")
        XCTAssertEqual(group.tone, .group)
        let unknown = FaceAnnotation(index: 2, label: Self.label(nil, 0.3), correction: nil,
                                     directory: Self.directory, script: .romaji)
        XCTAssertEqual(unknown.accessibleName, "Face 3: unknown")
        XCTAssertEqual(unknown.tone, .unknown)
        let none = FaceAnnotation(index: 0, label: nil, correction: nil, directory: nil, script: .romaji)
        XCTAssertEqual(none.accessibleName, "Face 1")
        XCTAssertEqual(none.tone, .detected)
        XCTAssertTrue(none.title.isEmpty)
    }

    func testTheUsersCorrectionWinsOverTheModel() {
        let label = Self.label("naoki", 0.95, groups: ["EXILE"])
        let relabelled = FaceAnnotation(index: 0, label: label, correction: .member("ryuji"),
                                        directory: Self.directory, script: .japanese)
        XCTAssertEqual(relabelled.accessibleName, "Face 1: 今市隆二, your label")
        XCTAssertEqual(relabelled.tone, .corrected)
        let notHim = FaceAnnotation(index: 0, label: label, correction: .notThisMember("naoki"),
                                    directory: Self.directory, script: .romaji)
        XCTAssertEqual(notHim.title, "not Naoki Kobayashi")
        XCTAssertEqual(notHim.tone, .rejected)
        XCTAssertEqual(FaceAnnotation(index: 0, label: label, correction: .notAFace, directory: nil, script: .romaji).title,
                       "not a face")
    }

    func testCorrectionsMapOntoCurationDecisions() {
        XCTAssertEqual(FaceCorrection.member("ryuji").decision, .relabel(memberID: "ryuji"))
        XCTAssertEqual(FaceCorrection.notAFace.decision, .reject)
        XCTAssertEqual(FaceCorrection.notThisMember("naoki").decision, .reject)
        XCTAssertEqual(FaceCorrection(.relabel(memberID: "ryuji")), .member("ryuji"))
        XCTAssertEqual(FaceCorrection(.reject), .notAFace)
        XCTAssertNil(FaceCorrection(.accept))
    }

    func testWithoutARosterMembersAreShownByIDAndCandidatesKeepTheirOrder() {
        let bare = MemberDirectory(classes: ["a-b"], roster: nil)
        XCTAssertEqual(bare.name(of: "a-b", script: .japanese), "a-b")
        XCTAssertEqual(bare.groupText(["G1", "G2"]), "G1・G2")
        let candidates = FaceAnnotation.candidates(Self.label(nil, 0.6), directory: Self.directory, script: .romaji)
        XCTAssertEqual(candidates.map(\.name), ["Naoki Kobayashi", "Ryuji Imaichi", "Takahiro"])
        XCTAssertEqual(candidates.map(\.probability), [0.6, 0.3, 0.1])
    }

    func testTheRosterOfAModelIsFoundByIDInTheUsersRosters() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tl-roster-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let storage = DatasetStorage(cacheRoot: home.appendingPathComponent("cache"), dataRoot: home.appendingPathComponent("data"))
        try FileManager.default.createDirectory(at: storage.rostersDirectory, withIntermediateDirectories: true)
        try JSONEncoder().encode(Self.roster).write(to: storage.rostersDirectory.appendingPathComponent("t.json"))
        var manifest = Self.manifest(roster: "t")
        XCTAssertEqual(MemberDirectory.roster(for: manifest, storage: storage), Self.roster)
        manifest.roster = "no-such-roster"
        XCTAssertNil(MemberDirectory.roster(for: manifest, storage: storage))
    }

    static func manifest(roster: String, accuracy: Double? = nil) -> ModelManifest {
        var report: EvaluationReport?
        if let accuracy {
            report = try? EvaluationReport(probabilities: accuracy >= 0.5 ? [0.9, 0.1, 0.2, 0.8] : [0.1, 0.9, 0.8, 0.2],
                                           labels: [0, 1], classes: ["a", "b"])
        }
        return ModelManifest(backend: .init(id: "scratch-cnn", version: "1", abiMajor: 1, abiMinor: 0), classes: ["a", "b"],
                             roster: roster, memberGroups: [:], preset: "original", inputScale: 1, hyperParameters: [:],
                             training: TrainingPreset.original.configuration(seed: 0), history: [], stop: "completed",
                             testMetrics: report, datasetFingerprint: "x", createdAt: Date(timeIntervalSince1970: 1_795_000_000))
    }

    func testAModelIsSummarisedByNameBackendAccuracyAndDate() {
        let summary = ModelSummary(name: "ldh", manifest: Self.manifest(roster: "t", accuracy: 1))
        XCTAssertEqual(summary.line, "ldh, scratch-cnn, test accuracy 100%, 2026-11-18")
        XCTAssertEqual(ModelSummary(name: "x", backend: "b", accuracy: nil, createdAt: Date(timeIntervalSince1970: 0)).line,
                       "x, b, not evaluated, 1970-01-01")
        XCTAssertEqual(ModelSummary.percent(0.875), "88%")
        MainActor.assumeIsolated {
            XCTAssertEqual(RecognitionState.initialScript(names: "romaji", chosen: .japanese, locale: "ja_JP.UTF-8"), .romaji)
            XCTAssertEqual(RecognitionState.initialScript(names: nil, chosen: nil, locale: "ja_JP.UTF-8"), .japanese)
            XCTAssertEqual(RecognitionState.initialScript(names: nil, chosen: nil, locale: "C.UTF-8"), .romaji)
            // The user's choice in the keyfile beats the locale.
            XCTAssertEqual(RecognitionState.initialScript(names: nil, chosen: .japanese, locale: "C.UTF-8"), .japanese)
            XCTAssertEqual(RecognitionState.initialScript(names: nil, chosen: .romaji, locale: "ja_JP.UTF-8"), .romaji)
        }
    }

    func testCorrectionsAreSavedInTheCurationStoreByContentAndBox() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tl-curation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let storage = DatasetStorage(cacheRoot: home.appendingPathComponent("cache"), dataRoot: home.appendingPathComponent("data"))
        let box = FaceBox(x: 10, y: 20, width: 30, height: 30)
        let id = CropID(photoHash: "ab12", box: box)
        func stored() -> CurationStore.Decision?? {
            // Saving runs on a background queue: wait for the file to say something new.
            (try? CurationStore(storage: storage)).map { $0.decision(for: id) }
        }
        MainActor.assumeIsolated {
            let book = CorrectionBook(storage: storage)
            book.record(.member("ryuji"), photoHash: "ab12", box: box) { _ in }
            XCTAssertEqual(book.correction(photoHash: "ab12", box: box), .member("ryuji"))
            XCTAssertNil(book.correction(photoHash: "ab12", box: FaceBox(x: 11, y: 20, width: 30, height: 30)))
        }
        XCTAssertTrue(waitUntil { stored() == .some(.relabel(memberID: "ryuji")) })
        MainActor.assumeIsolated {
            let book = CorrectionBook(storage: storage)  // a new window reads it back
            XCTAssertEqual(book.correction(photoHash: "ab12", box: box), .member("ryuji"))
            book.record(.notThisMember("naoki"), photoHash: "ab12", box: box) { _ in }
        }
        XCTAssertTrue(waitUntil { stored() == .some(.reject) })
        MainActor.assumeIsolated {
            CorrectionBook(storage: storage).record(nil, photoHash: "ab12", box: box) { _ in }
        }
        XCTAssertTrue(waitUntil { stored() == .some(nil) })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: storage.dataRoot.path).filter { $0 != "curation.json" }
        XCTAssertEqual(leftovers, [])
    }

    func testABrokenCurationFileIsReportedAndLeftAlone() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tl-broken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let storage = DatasetStorage(cacheRoot: home.appendingPathComponent("cache"), dataRoot: home.appendingPathComponent("data"))
        try FileManager.default.createDirectory(at: storage.dataRoot, withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: storage.curationFile)
        let box = FaceBox(x: 1, y: 2, width: 3, height: 4)
        MainActor.assumeIsolated {
            let book = CorrectionBook(storage: storage)
            XCTAssertNil(book.correction(photoHash: "ab", box: box))
            var problem: String?
            XCTAssertFalse(book.record(.notAFace, photoHash: "ab", box: box) { problem = $0 })
            XCTAssertTrue(problem?.contains("unreadable curation file") ?? false, problem ?? "no problem reported")
        }
        XCTAssertEqual(try String(contentsOf: storage.curationFile, encoding: .utf8), "{ not json")
    }

    private func waitUntil(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }

    func testTheShownPhotoIsLabelledFirstAndStaleLabelsAgain() {
        MainActor.assumeIsolated {
            let session = PhotoSession()
            session.add(["a", "b", "c"].map { URL(fileURLWithPath: "/p/\($0).jpg") })
            let face = FaceBox(x: 0, y: 0, width: 4, height: 4)
            let withFace = Photo.State.analyzed(PhotoAnalysis(width: 8, height: 8, faces: [face], seconds: 0))
            let noFace = Photo.State.analyzed(PhotoAnalysis(width: 8, height: 8, faces: [], seconds: 0))
            XCTAssertNil(session.nextToLabel(generation: 1))  // nothing analysed yet
            session.update(session.photos[0].id, state: withFace)
            session.update(session.photos[1].id, state: noFace)
            session.update(session.photos[2].id, state: withFace)
            session.select(2)
            XCTAssertEqual(session.nextToLabel(generation: 1)?.fileName, "c.jpg")
            session.setLabels(session.photos[2].id, PhotoLabels(generation: 1, faces: [], seconds: 0))
            XCTAssertEqual(session.nextToLabel(generation: 1)?.fileName, "a.jpg")  // b has no faces
            session.setLabels(session.photos[0].id, PhotoLabels(generation: 1, faces: [], seconds: 0))
            XCTAssertNil(session.nextToLabel(generation: 1))
            XCTAssertEqual(session.nextToLabel(generation: 2)?.fileName, "c.jpg")  // a new model
        }
    }

    func testThePhotoIsCentredAndFacesMappedWithTheSameScale() throws {
        let geometry = try XCTUnwrap(PhotoGeometry(widgetWidth: 1024, widgetHeight: 524, photoWidth: 2000, photoHeight: 1000))
        XCTAssertEqual(geometry.scale, 0.5)  // (524 - 24) / 1000 limits it
        XCTAssertEqual(geometry.left, 12)    // (1024 - 1000) / 2
        XCTAssertEqual(geometry.top, 12)
        let rect = geometry.rect(x: 100, y: 200, width: 50, height: 60)
        XCTAssertEqual(rect.x, 62); XCTAssertEqual(rect.y, 112); XCTAssertEqual(rect.width, 25); XCTAssertEqual(rect.height, 30)
        XCTAssertNil(PhotoGeometry(widgetWidth: 10, widgetHeight: 10, photoWidth: 100, photoHeight: 100))
    }

    func testTheExportIsThePhotoWithColouredBoxesWrittenAtomically() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tl-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A 200x160 gradient; one face box in the middle.
        var pixels = [UInt8](repeating: 0, count: 200 * 160 * 3)
        for y in 0..<160 { for x in 0..<200 { let i = (y * 200 + x) * 3; pixels[i] = UInt8(x); pixels[i + 1] = UInt8(y); pixels[i + 2] = 77 } }
        let image = RGBImage(width: 200, height: 160, pixels: pixels)
        let box = FaceBox(x: 60, y: 70, width: 60, height: 50)
        let annotation = FaceAnnotation(index: 0, label: Self.label("naoki", 0.95), correction: nil,
                                        directory: Self.directory, script: .romaji)
        let png = try AnnotatedPhotoExport.render(image, faces: [box], annotations: [annotation])
        let url = folder.appendingPathComponent("out.png")
        try Data("old".utf8).write(to: url)
        try PNGFile.writeAtomically(png, to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.png"])
        let back = try PhotoLoader().load(url)
        XCTAssertEqual(back.width, 200); XCTAssertEqual(back.height, 160)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { let i = (y * 200 + x) * 3; return Array(back.pixels[i..<i + 3]) }
        // Far from the box and its tag: the photo, unchanged.
        XCTAssertEqual(pixel(5, 155), [5, 155, 77])
        XCTAssertEqual(pixel(195, 150), [195, 150, 77])
        // On the box's left edge (line 2 px wide, centred on x = 60): the "sure" green.
        let (r, g, b) = FaceAnnotation.Tone.sure.rgb
        let green = [r, g, b].map { UInt8(($0 * 255).rounded()) }
        for (actual, wanted) in zip(pixel(60, 100), green) { XCTAssertLessThanOrEqual(abs(Int(actual) - Int(wanted)), 1) }
        // Inside the box: the photo again.
        XCTAssertEqual(pixel(90, 100), [90, 100, 77])
        // The tag above the box changed pixels there (text on green).
        XCTAssertNotEqual(pixel(65, 60), [65, 60, 77])
    }
}
