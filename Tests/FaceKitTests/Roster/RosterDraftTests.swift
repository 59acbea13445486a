import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// A roster made from a photo folder's sub-folder names: safe ids for any script, one member
/// per folder (named after it), groups assigned, the loader's checks, and saving where the
/// panel lists rosters.
final class RosterDraftTests: XCTestCase {
    func testSlugsAreSafeStableAndTransliterationFree() {
        XCTAssertEqual(RosterID.slug("Bill_Clinton"), "bill-clinton")
        XCTAssertEqual(RosterID.slug("  George   W. Bush "), "george-w-bush")
        XCTAssertEqual(RosterID.slug("Amélie Mauresmo"), "amelie-mauresmo")
        XCTAssertEqual(RosterID.slug("ＡＫＩＲＡ"), "akira")  // full width folds to ASCII
        // Other scripts keep no letters but a hash of the name: stable, and distinct per name.
        let tosaka = RosterID.slug("登坂広臣")
        XCTAssertTrue(tosaka.hasPrefix("member-"), tosaka)
        XCTAssertEqual(tosaka, RosterID.slug("登坂広臣"))
        XCTAssertNotEqual(tosaka, RosterID.slug("今市隆二"))
        XCTAssertEqual(RosterID.slug("登坂 広臣"), tosaka, "spaces do not change who a folder is")
        let sekai = RosterID.slug("EXILE 世界")
        XCTAssertTrue(sekai.hasPrefix("exile-") && sekai.count == "exile-".count + 8, sekai)
        XCTAssertNotEqual(sekai, RosterID.slug("EXILE 三代目"))
        XCTAssertTrue(RosterID.slug("방탄소년단", fallback: "group").hasPrefix("group-"))
        XCTAssertLessThanOrEqual(RosterID.slug(String(repeating: "abc ", count: 40)).count, RosterID.maximumStem)
        for name in ["Bill_Clinton", "登坂広臣", "EXILE 世界", "---", "!!", "Ünïcödé", "a\u{0301}"] {
            XCTAssertTrue(RosterLoader.isValidID(RosterID.slug(name)), name)
        }
        XCTAssertEqual(RosterID.unique("a") { ["a", "a-2"].contains($0) }, "a-3")
        XCTAssertEqual(RosterID.unique("b") { _ in false }, "b")
    }

    func testMembersComeFromTheFoldersAndMatchThem() throws {
        let folders = ["Amelie_Mauresmo", "Amélie", "Amelie", "Bill_Clinton", "bill clinton", "アンジェリーナ・ジョリー",
                       "登坂広臣", "___", "tab\there"]
        var draft = RosterDraft(name: "My Stars", folders: folders)
        // "Bill_Clinton" and "bill clinton" fold alike: one member with both folders.
        XCTAssertEqual(draft.members.map(\.name), ["Amelie Mauresmo", "Amélie", "Amelie", "Bill Clinton", "アンジェリーナ・ジョリー", "登坂広臣"])
        XCTAssertEqual(draft.members[3].folders, ["Bill_Clinton", "bill clinton"])
        XCTAssertEqual(draft.leftOut, ["___", "tab\there"])
        // "Amélie" may not take the id "amelie": it folds like the folder "Amelie".
        XCTAssertNotEqual(draft.members[1].id, "amelie")
        XCTAssertEqual(draft.members[2].id, "amelie")

        let tennis = try XCTUnwrap(draft.addGroup(named: " Tennis players "))
        let screen = try XCTUnwrap(draft.addGroup(named: "スクリーン"))
        XCTAssertNil(draft.addGroup(named: "tennis players"), "a group of the same name")
        XCTAssertNil(draft.addGroup(named: "  "))
        XCTAssertEqual(tennis, "tennis-players")
        XCTAssertTrue(screen.hasPrefix("group-"), screen)
        let bill = draft.members[3].id
        draft.set(member: bill, inGroup: screen, true)
        draft.set(member: bill, inGroup: tennis, true)
        draft.set(member: draft.members[0].id, inGroup: tennis, true)
        draft.set(member: draft.members[0].id, inGroup: "nope", true)
        XCTAssertTrue(draft.isMember(bill, inGroup: tennis))

        let roster = try draft.roster(id: "my-stars")
        XCTAssertEqual(roster.name, "My Stars")
        XCTAssertEqual(roster.groups.map(\.name), ["Tennis players", "スクリーン"])
        // Group order in a member is the roster's, whatever the order of the clicks.
        XCTAssertEqual(roster.member(id: bill)?.groups, [tennis, screen])
        XCTAssertEqual(roster.member(id: draft.members[0].id)?.groups, [tennis])
        XCTAssertEqual(roster.members.last?.ja, "登坂広臣")
        XCTAssertEqual(roster.members.last?.romaji, "登坂広臣", "no transliteration is guessed")
        // Every folder finds its member again, as PhotoImport will look for it.
        for member in draft.members {
            for folder in member.folders { XCTAssertEqual(roster.member(matchingFolder: folder)?.id, member.id, folder) }
        }
        // The file the roster is saved as passes the loader's checks.
        let reread = try RosterLoader.parse(try UserRosters.encode(roster), source: "my-stars.json")
        XCTAssertEqual(reread, roster)

        draft.removeGroup(tennis)
        XCTAssertEqual(try draft.roster(id: "x").member(id: bill)?.groups, [screen])
    }

    func testSavingFindsAFreeIDAndNeverReplacesARoster() throws {
        let (home, storage) = try DatasetTestSupport.temporaryHome("rosters")
        addTeardownBlock { try? FileManager.default.removeItem(at: home) }
        // The shipped LDH roster's id is taken: a user roster of that id would hide it.
        XCTAssertEqual(UserRosters.freeID(for: "LDH", storage: storage), "ldh-2")
        var draft = RosterDraft(name: "My Stars", folders: ["Bill_Clinton", "登坂広臣"])
        draft.addGroup(named: "Screen")
        let id = UserRosters.freeID(for: draft.name, storage: storage)
        XCTAssertEqual(id, "my-stars")
        let roster = try draft.roster(id: id)
        let file = try UserRosters.save(roster, storage: storage)
        XCTAssertEqual(file, storage.rostersDirectory.appendingPathComponent("my-stars.json"))
        XCTAssertEqual(try RosterLoader.load(contentsOf: file), roster)
        XCTAssertEqual(try RosterLoader.load(idOrPath: "my-stars", storage: storage), roster)
        XCTAssertTrue(RosterLoader.available(storage: storage).contains { $0.roster.id == "my-stars" })
        // No temporary file is left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: storage.rostersDirectory.path), ["my-stars.json"])
        XCTAssertThrowsError(try UserRosters.save(roster, storage: storage)) { error in
            XCTAssertTrue("\(error)".contains("exists already"), "\(error)")
        }
        XCTAssertEqual(UserRosters.freeID(for: "My Stars", storage: storage), "my-stars-2")

        // The folders it came from now all match.
        let photos = home.appendingPathComponent("photos")
        for folder in ["Bill_Clinton", "登坂広臣"] {
            try FileManager.default.createDirectory(at: photos.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        XCTAssertNil(RosterMismatch(try PhotoImport.scan(root: photos, roster: roster)))
    }

    func testMismatchNamesTheFoldersNoMemberMatches() throws {
        let (home, _) = try DatasetTestSupport.temporaryHome("mismatch")
        addTeardownBlock { try? FileManager.default.removeItem(at: home) }
        let photos = home.appendingPathComponent("photos")
        for folder in ["Alice", "Bob", "Carol", "ダン"] {
            try FileManager.default.createDirectory(at: photos.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let partial = try XCTUnwrap(RosterMismatch(try PhotoImport.scan(root: photos, roster: DatasetTestSupport.roster(["Alice", "Bob"]))))
        XCTAssertEqual(partial.unmatchedFolders, ["Carol", "ダン"])
        XCTAssertEqual(partial.matchedFolders, 2)
        XCTAssertFalse(partial.isTotal)
        XCTAssertEqual(partial.allFolders, ["Alice", "Bob", "Carol", "ダン"])
        XCTAssertTrue(partial.named(limit: 1) == (["Carol"], 1))

        let total = try XCTUnwrap(RosterMismatch(try PhotoImport.scan(root: photos, roster: try RosterLoader.ldh())))
        XCTAssertTrue(total.isTotal)
        XCTAssertEqual(total.unmatchedFolders.count, 4)
        XCTAssertNil(RosterMismatch(try PhotoImport.scan(root: photos, roster: DatasetTestSupport.roster(["Alice", "Bob", "Carol", "ダン"]))))
    }
}
