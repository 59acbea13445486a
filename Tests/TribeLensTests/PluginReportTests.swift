@testable import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// What the model menu says about plugins: refused files only from the user's own folders, in
/// a user's words with the path kept for the details; training commands never broken mid-option.
final class PluginReportTests: XCTestCase {
    func testOnlyTheUsersOwnPluginFoldersAreShown() {
        let searched = [
            PluginSearchPath.Entry(directory: URL(fileURLWithPath: "/home/u/my-plugins"), origin: .environment),
            PluginSearchPath.Entry(directory: URL(fileURLWithPath: "/opt/tl/bin"), origin: .executable, only: ["libScratchCNN.so"]),
            PluginSearchPath.Entry(directory: URL(fileURLWithPath: "/home/u/.local/share/tribelens/plugins"), origin: .userData),
            PluginSearchPath.Entry(directory: URL(fileURLWithPath: "/opt/tl/lib/tribelens/plugins"), origin: .prefix),
        ]
        let refused = [
            PluginHost.Refusal(path: "/home/u/my-plugins/libbroken.so", reason: .notELF, message: "plugin /home/u/my-plugins/libbroken.so: not an ELF file"),
            PluginHost.Refusal(path: "/opt/tl/bin/libScratchCNN.so", reason: .wrongMajor, message: "ABI 2.0, host 1.0"),
            PluginHost.Refusal(path: "/home/u/.local/share/tribelens/plugins/libold.so", reason: .wrongMajor, message: "ABI 0.9"),
            PluginHost.Refusal(path: "/opt/tl/lib/tribelens/plugins/libx.so", reason: .dlopenFailed, message: "dlopen failed"),
            // A sibling folder whose name starts like a user folder is not one.
            PluginHost.Refusal(path: "/home/u/my-plugins-old/liby.so", reason: .notELF, message: "no"),
        ]
        let shown = RefusedPlugin.shown(refused, searched: searched)
        XCTAssertEqual(shown.map(\.file), ["libbroken.so", "libold.so"])
        XCTAssertEqual(shown[0].line, "libbroken.so: this file is not a plugin")
        XCTAssertEqual(shown[1].line, "libold.so: it was made for another version of TribeLens")
        XCTAssertEqual(shown[0].details, "/home/u/my-plugins/libbroken.so\nplugin /home/u/my-plugins/libbroken.so: not an ELF file")
        XCTAssertFalse(shown[0].line.contains("/"), "the path belongs in the details")
    }

    func testCommandsBreakOnlyBetweenOptions() {
        let command = "tribelens-cli train --dataset NAME --backend scratch-cnn --model NAME --activate"
        let lines = CommandLayout.lines(command, width: 44)
        XCTAssertEqual(lines, ["tribelens-cli train --dataset NAME \\",
                               "    --backend scratch-cnn --model NAME \\",
                               "    --activate"])
        XCTAssertTrue(lines.allSatisfy { $0.count <= 44 }, "\(lines)")
        // Pasted back together the shell sees the same command.
        XCTAssertEqual(lines.joined(separator: "\n").replacingOccurrences(of: " \\\n    ", with: " "), command)
        XCTAssertEqual(CommandLayout.lines("tribelens-cli dataset build --photos FOLDER --name NAME", width: 80),
                       ["tribelens-cli dataset build --photos FOLDER --name NAME"])
        // A word longer than the width stays whole on its own line.
        XCTAssertEqual(CommandLayout.lines("a --very-long-option-name VALUE", width: 10), ["a \\", "    --very-long-option-name VALUE"])
    }

    func testTheTrainingHintKeepsItsSentenceAndCommands() {
        let laidOut = Recognizer.trainingHintLaidOut(width: 44)
        XCTAssertTrue(laidOut.hasPrefix(Recognizer.trainingHint.components(separatedBy: "\n")[0] + "\n"))
        XCTAssertTrue(laidOut.contains("tribelens-cli dataset build"))
        XCTAssertTrue(laidOut.contains("tribelens-cli train"))
        for line in laidOut.components(separatedBy: "\n").dropFirst() { XCTAssertLessThanOrEqual(line.count, 44, line) }
    }
}
