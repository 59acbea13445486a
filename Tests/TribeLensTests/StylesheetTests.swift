import XCTest
@testable import TribeLens

/// The app's one stylesheet (Desktop/style.css, embedded in the binary) holds the rules of the
/// window, the face targets, the training panel and the curation grid. Read as text: no GTK.
final class StylesheetTests: XCTestCase {
    func testTheEmbeddedStylesheetHasEveryPartsRules() {
        let css = Stylesheet.text
        for selector in [".empty-title", ".photo-area.drop-highlight", ".thumbnail.selected",  // window
                         "button.face-target:focus-visible", ".face-popover button.candidate",  // faces
                         "button.choice:checked",  // training panel
                         ".crop-badge.crop-decision", "button.crop-tile.rejected .crop-badge.crop-decision",  // curation grid
                         ".stale-note", ".roster-mismatch", ".crop-badge.crop-decision.crop-fate",  // issue 15's panel
                         "flowbox.crop-grid > flowboxchild:selected", "button.group-toggle:checked"] {
            XCTAssertTrue(css.contains(selector + " {") || css.contains(selector + ","), "no rule for \(selector)")
        }
        XCTAssertEqual(css.filter { $0 == "{" }.count, css.filter { $0 == "}" }.count, "braces balance")
        XCTAssertEqual(css.components(separatedBy: "/*").count, css.components(separatedBy: "*/").count, "comments close")
    }
}
