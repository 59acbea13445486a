import XCTest
@testable import FaceKit

final class AppSettingsTests: XCTestCase {
    private var folder: URL!
    private var url: URL { folder.appendingPathComponent("io.github.tribelens.TribeLens/settings.ini") }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testMissingFileGivesDefaults() throws {
        XCTAssertEqual(try AppSettings.load(from: url), AppSettings())
        XCTAssertNil(AppSettings().nameDisplay, "names follow the locale until the user picks")
        XCTAssertEqual(AppSettings().colorScheme, .system)
    }

    func testSaveThenLoadRoundTripsEveryField() throws {
        var settings = AppSettings()
        settings.nameDisplay = .romaji
        settings.colorScheme = .dark
        settings.detector = .yunet
        settings.windowWidth = 1234
        settings.windowHeight = 567
        settings.windowMaximized = true
        settings.trainingPhotoFolder = "/home/ファン/写真 LDH"
        settings.trainingRoster = "ldh"
        settings.trainingBackend = "vgg16-transfer"
        try settings.save(to: url)  // creates the folder
        XCTAssertEqual(try AppSettings.load(from: url), settings)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains("[Display]\nname-display=romaji\ncolor-scheme=dark\n"), text)
        XCTAssertTrue(text.contains("[Window]\nwidth=1234\nheight=567\nmaximized=true\n"), text)
        XCTAssertTrue(text.contains("[Training]\nphoto-folder=/home/ファン/写真 LDH\nroster=ldh\nbackend=vgg16-transfer\n"), text)
        // No temporary files are left next to it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path), ["settings.ini"])
    }

    func testSaveKeepsUnknownKeysAndComments() throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "# mine\n[Display]\nname-display=japanese\nfont-size=large\n[Plugins]\nlast=vgg16-transfer\n"
            .write(to: url, atomically: true, encoding: .utf8)
        var settings = try AppSettings.load(from: url)
        settings.nameDisplay = .romaji
        try settings.save(to: url)
        let file = try KeyFile(parsing: String(contentsOf: url, encoding: .utf8))
        XCTAssertEqual(file.value("Display", "name-display"), "romaji")
        XCTAssertEqual(file.value("Display", "font-size"), "large")
        XCTAssertEqual(file.value("Plugins", "last"), "vgg16-transfer")
        XCTAssertTrue(file.text.hasPrefix("# mine\n"))
    }

    func testBadValuesKeepDefaultsAndSayWhy() throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "[Display]\nname-display=kanji\ncolor-scheme=DARK\n[Window]\nwidth=0\nheight=800\nmaximized=maybe\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let (settings, problems) = AppSettings.loadLeniently(from: url)
        XCTAssertNil(settings.nameDisplay)
        XCTAssertEqual(settings.colorScheme, .dark, "values are case-insensitive")
        XCTAssertEqual(settings.windowWidth, 1000)
        XCTAssertEqual(settings.windowHeight, 800)
        XCTAssertFalse(settings.windowMaximized)
        XCTAssertEqual(problems, [
            "settings.ini: [Display] name-display must be one of japanese, romaji, not \"kanji\"",
            "settings.ini: [Window] width must be a whole number from 200 to 16384, not \"0\"",
            "settings.ini: [Window] maximized must be true or false, not \"maybe\"",
        ])
        XCTAssertThrowsError(try AppSettings.load(from: url)) {
            XCTAssertEqual("\($0)", problems[0])
        }
    }

    func testBrokenFileGivesDefaultsWithOneLineAndIsReplacedOnSave() throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([0x5B, 0x41, 0x5D, 0x0A, 0xFF, 0xFE]).write(to: url)
        let (settings, problems) = AppSettings.loadLeniently(from: url)
        XCTAssertEqual(settings, AppSettings())
        XCTAssertEqual(problems, ["\(url.path) is not UTF-8 text; using the default settings"])
        try settings.save(to: url)
        XCTAssertEqual(try AppSettings.load(from: url), AppSettings())
    }

    func testCodableForOtherStores() throws {
        var settings = AppSettings()
        settings.nameDisplay = .romaji
        let data = try JSONEncoder().encode(settings)
        XCTAssertEqual(try JSONDecoder().decode(AppSettings.self, from: data), settings)
    }
}
