import FaceKit
import SharedTestSupport
import XCTest
@testable import TribeLens

/// The window's backend names and descriptions: the shipping plugins' own English, looked up by
/// id so they can be translated (docs/plugin-abi.md, "Display strings"); other plugins as they are.
final class BackendTextTests: XCTestCase {
    func testEveryShippingPluginHasTheHostsCopyOfItsOwnStrings() throws {
        var ids: [String] = []
        for product in PluginSearchPath.shippingPlugins {
            let info = try PluginLoader.load(TestPlugins.url(product)).info
            ids.append(info.id)
            XCTAssertEqual(BackendText.displayName(info), info.displayName, "\(product): the host's copy drifted from the plugin's name")
            XCTAssertEqual(BackendText.description(info), info.description, "\(product): the host's copy drifted from the description")
        }
        XCTAssertEqual(Set(ids), ["sface", "scratch-cnn", "vgg16-transfer"])
    }

    func testAnotherPluginShowsItsOwnStrings() throws {
        let info = try TestPlugins.linear().info
        XCTAssertEqual(BackendText.displayName(info), info.displayName)
        XCTAssertEqual(BackendText.description(info), info.description)
    }
}
