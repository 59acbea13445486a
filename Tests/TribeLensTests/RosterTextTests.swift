import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// The shipped roster's name is translated by id; the English copy matches the file.
final class RosterTextTests: XCTestCase {
    private let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/rosters/ldh.json")

    func testTheShippedRosterIsRecognisedAndAUsersRosterKeepsItsName() throws {
        let ldh = try RosterLoader.load(contentsOf: file)
        XCTAssertEqual(ldh.name, RosterText.shippedLDH, "the host's copy drifted from Resources/rosters/ldh.json")
        XCTAssertEqual(RosterText.name(ldh), ldh.name, "untranslated: the English")
        var renamed = ldh
        renamed.name = "My LDH favourites"
        XCTAssertEqual(RosterText.name(renamed), "My LDH favourites")
    }
}
