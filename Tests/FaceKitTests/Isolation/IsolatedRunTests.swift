import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// IsolatedRun on a shell script standing in for the helper (it ignores the limit flags), so
/// every way a child can end is seen once: exit, signal, hang, output, a grandchild.
final class IsolatedRunTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryDirectory("tribelens-isolated") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func helper(_ body: String) throws -> IsolatedRun {
        let url = folder.appendingPathComponent("helper-\(UUID().uuidString).sh")
        try "#!/bin/sh\n# --cpu-seconds S --memory-mb M come first\nshift 4\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(url.path, 0o755), 0)
        return IsolatedRun(executable: url)
    }

    let limits = IsolatedRun.Limits(seconds: 2, memoryMB: 512)

    func testOutputAndExitStatusAreCapturedSeparately() throws {
        let outcome = try helper(#"echo "verdict $1"; echo noise >&2; read line; echo "stdin: [$line]" >&2; exit 3"#)
            .run(["plugin"], limits: limits)
        XCTAssertEqual(outcome.termination, .exited(3))
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "verdict plugin\n")
        XCTAssertEqual(String(decoding: outcome.stderr, as: UTF8.self), "noise\nstdin: []\n", "standard input is /dev/null")
        XCTAssertEqual(outcome.failure(limits: limits), .exited(status: 3))
        XCTAssertEqual(outcome.lastWords, "stdin: []")
    }

    func testASignalIsNamed() throws {
        let outcome = try helper("kill -SEGV $$").run([], limits: limits)
        XCTAssertEqual(outcome.termination, .signalled(SIGSEGV))
        XCTAssertEqual(outcome.failure(limits: limits)?.description, "crashed (SIGSEGV)")
    }

    func testAHangIsKilledAtTheWallClockLimit() throws {
        let started = Date()
        let outcome = try helper("sleep 30").run([], limits: limits)
        XCTAssertEqual(outcome.termination, .timedOut)
        XCTAssertEqual(outcome.failure(limits: limits)?.description, "took longer than 2 s")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testAGrandchildHoldingThePipesDoesNotHoldTheParent() throws {
        let started = Date()
        let outcome = try helper("echo done; sleep 30 &\nexit 0").run([], limits: limits)
        XCTAssertEqual(outcome.termination, .exited(0))
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "done\n")
        XCTAssertNil(outcome.failure(limits: limits))
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "the sleeping grandchild was not waited for")
    }

    func testEndlessOutputIsBounded() throws {
        var run = try helper("yes verdict; exit 0")
        run.maximumOutputBytes = 4096
        let outcome = run.run([], limits: limits)
        XCTAssertEqual(outcome.termination, .timedOut)
        XCTAssertEqual(outcome.stdout.count, 4096)
    }

    func testSignalsIgnoredByTheParentAreNotInheritedAndCtrlCDoesNotReachTheChild() throws {
        signal(SIGTERM, SIG_IGN)
        defer { signal(SIGTERM, SIG_DFL) }
        let outcome = try helper("kill -TERM $$; sleep 1; exit 0").run([], limits: limits)
        XCTAssertEqual(outcome.termination, .signalled(SIGTERM), "the child starts with every signal at its default")
        // Its own process group: a terminal's Ctrl+C goes to our group, not the child's.
        let group = try helper(#"ps -o pgid= -p $$ | tr -d ' '; ps -o pgid= -p $PPID | tr -d ' '"#).run([], limits: limits)
        let groups = String(decoding: group.stdout, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(groups.count, 2)
        XCTAssertNotEqual(groups.first, groups.last)
    }

    func testThePeakComesFromTheSupervisorsLineNotFromTheKernelsCountForTheParent() throws {
        // ru_maxrss of a posix_spawn'ed child counts this (large) test process: never used.
        let plain = try helper("echo report; exit 0").run([], limits: limits)
        XCTAssertNil(plain.peakMemoryKB)
        let supervised = try helper("echo report; echo peak-kb 2048; exit 0").run([], limits: limits)
        XCTAssertEqual(supervised.peakMemoryKB, 2048)
        XCTAssertEqual(String(decoding: supervised.stdout, as: UTF8.self), "report\n", "the line is not part of the report")
        // The real helpers append it (their worker's own peak: a few MB for the C probe).
        let probe = try HostilePlugins.runner().run(["plugin", try TestPlugins.url("TestLinearBackend").path], limits: limits)
        XCTAssertEqual(probe.termination, .exited(0))
        let peak = try XCTUnwrap(probe.peakMemoryKB)
        XCTAssertLessThan(peak, 100 * 1024, "the probe's worker, not this process")
        XCTAssertTrue(String(decoding: probe.stdout, as: UTF8.self).hasPrefix("{"), String(decoding: probe.stdout, as: UTF8.self))
    }

    func testAMissingHelperIsNotAboutTheFile() {
        let outcome = IsolatedRun(executable: folder.appendingPathComponent("missing")).run([], limits: limits)
        guard case .notStarted(let message) = outcome.termination else { return XCTFail("\(outcome.termination)") }
        XCTAssertTrue(message.contains("missing"), message)
        XCTAssertEqual(outcome.failure(limits: limits)?.isAboutTheFile, false)
    }

    func testMemoryIsBlamedOnlyWhenTheLimitWasNear() {
        func outcome(_ termination: IsolatedRun.Termination, peakMB: Int?, stderr: String = "") -> IsolatedRun.Outcome {
            IsolatedRun.Outcome(termination: termination, stdout: Data(), stderr: Data(stderr.utf8), peakMemoryKB: peakMB.map { $0 * 1024 }, seconds: 0)
        }
        XCTAssertEqual(outcome(.signalled(SIGABRT), peakMB: nil).failure(limits: limits), .crashed(signal: SIGABRT))
        XCTAssertEqual(outcome(.signalled(SIGABRT), peakMB: 500).failure(limits: limits), .outOfMemory(megabytes: 512))
        XCTAssertEqual(outcome(.signalled(SIGABRT), peakMB: 40).failure(limits: limits), .crashed(signal: SIGABRT))
        XCTAssertEqual(outcome(.signalled(SIGILL), peakMB: 40, stderr: "Fatal error: Could not allocate memory.").failure(limits: limits),
                       .outOfMemory(megabytes: 512))
        XCTAssertEqual(outcome(.signalled(SIGXCPU), peakMB: 40).failure(limits: limits), .timedOut(seconds: 2))
        XCTAssertEqual(outcome(.exited(0), peakMB: 500).failure(limits: limits), nil)
    }
}
