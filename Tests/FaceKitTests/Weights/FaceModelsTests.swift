import Foundation
import XCTest
import SharedTestSupport
@testable import FaceKit

/// Which SFace and YuNet files TribeLens lets OpenCV open: known bytes only, whatever the name;
/// anything else refused with a message, unless the user allows it for a file they named.
final class FaceModelsTests: XCTestCase {
    var data: URL!
    var weightsFolder: URL { data.appendingPathComponent("tribelens/weights", isDirectory: true) }
    var detectorsFolder: URL { data.appendingPathComponent("tribelens/detectors", isDirectory: true) }
    private var previousDataHome: String?

    override func setUpWithError() throws {
        data = try temporaryFolder(self)
        previousDataHome = ProcessInfo.processInfo.environment["XDG_DATA_HOME"]
        setenv("XDG_DATA_HOME", data.path, 1)
    }

    override func tearDown() {
        if let previousDataHome { setenv("XDG_DATA_HOME", previousDataHome, 1) } else { unsetenv("XDG_DATA_HOME") }
    }

    var sharedSFace: URL { get throws { try SharedData.url("models/face_recognition_sface_2021dec_dq.onnx") } }
    var sharedYuNet: URL { get throws { try SharedData.url("models/face_detection_yunet_2022mar.onnx") } }

    func copy(_ source: URL, to folder: URL, as name: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    /// Flips one bit of one byte in place (the size stays the same, so only the digest tells).
    func flipByte(in file: URL, at offset: UInt64) throws {
        let handle = try FileHandle(forUpdating: file)
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        let byte = try XCTUnwrap(handle.read(upToCount: 1)).first!
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: [byte ^ 0x01])
    }

    func testSharedFilesAreKnown() throws {
        let sface = try sharedSFace
        XCTAssertEqual(FaceModels.identify(sface), KnownModelFile.sfaceDerivedFloat32)
        XCTAssertEqual(try FaceModels.sha256(ofFile: sface), KnownModelFile.sfaceDerivedFloat32.sha256)
        XCTAssertEqual(try FaceModels.resolve(.sface, path: sface.path), sface)
        let yunet = try sharedYuNet
        XCTAssertEqual(FaceModels.identify(yunet), KnownModelFile.yunetOfficial)
        XCTAssertEqual(try FaceModels.resolve(.yunet, path: yunet.path), yunet)
    }

    func testCatalogue() {
        XCTAssertEqual(KnownModelFile.all.filter { $0.kind == .sface }.count, 2)
        XCTAssertEqual(KnownModelFile.all.filter { $0.officialURL != nil }.map(\.fileName),
                       ["face_recognition_sface_2021dec.onnx", "face_detection_yunet_2022mar.onnx"])
        XCTAssertEqual(PretrainedWeights.named("sface")?.checksum, .sha256(KnownModelFile.sfaceOfficial.sha256))
        XCTAssertEqual(PretrainedWeights.named("yunet")?.byteCount, 345_478)
        XCTAssertEqual(PretrainedWeights.vgg16.checksum, .md5("6d6bbae143d832006294945121d1f1fc"))
        for file in KnownModelFile.all { XCTAssertEqual(file.sha256.count, 64, file.fileName) }
    }

    func testCorruptCopyIsRefusedWithItsNameUnlessAllowed() throws {
        let folder = try temporaryFolder(self)
        let copy = try copy(try sharedSFace, to: folder, as: "face_recognition_sface_2021dec.onnx")
        XCTAssertEqual(FaceModels.identify(copy), KnownModelFile.sfaceDerivedFloat32, "the intact copy is known")
        try flipByte(in: copy, at: 20_000_000)
        // The same path and size as the cached good copy: the cache must still notice.
        XCTAssertNil(FaceModels.identify(copy))
        let digest = try ContentHash.sha256(ofFile: copy)
        XCTAssertNotEqual(digest, KnownModelFile.sfaceDerivedFloat32.sha256)

        XCTAssertThrowsError(try FaceModels.resolve(.sface, path: copy.path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(copy.path), text)
            XCTAssertTrue(text.contains("has SHA-256 \(digest), which is not a known SFace file"), text)
            XCTAssertTrue(text.hasSuffix("pass --allow-unverified-model to use it anyway"), text)
            guard case .unknownChecksum(let sha, let size)? = (error as? FaceModelError)?.reason else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(sha, digest)
            XCTAssertEqual(size, KnownModelFile.sfaceDerivedFloat32.byteCount)
        }
        XCTAssertEqual(try FaceModels.resolve(.sface, path: copy.path, allowUnverified: true), copy)
    }

    /// A file the user chose: a known one is copied into the weights folder and found there; an
    /// unknown one only after approval, and then exactly those bytes, not a second variant.
    func testInstallCopiesKnownFilesAndApprovedUnknownOnesOnly() throws {
        let outside = try temporaryFolder(self)
        let known = try copy(try sharedYuNet, to: outside, as: "yunet-download.onnx")
        let installed = try FaceModels.install(known, kind: .yunet)
        XCTAssertEqual(installed.deletingLastPathComponent().standardizedFileURL.path, weightsFolder.standardizedFileURL.path)
        XCTAssertEqual(try FaceModels.resolve(.yunet).lastPathComponent, "yunet-download.onnx")
        try FileManager.default.removeItem(at: installed)

        let variant = try copy(try sharedYuNet, to: outside, as: "yunet-variant.onnx")
        try flipByte(in: variant, at: 1000)
        XCTAssertThrowsError(try FaceModels.install(variant, kind: .yunet)) { error in
            XCTAssertTrue("\(error)".contains(variant.path), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: weightsFolder.appendingPathComponent("yunet-variant.onnx").path))
        XCTAssertThrowsError(try FaceModels.resolve(.yunet))

        try FaceModels.install(variant, kind: .yunet, approveUnknown: true)
        XCTAssertEqual(try FaceModels.resolve(.yunet).lastPathComponent, "yunet-variant.onnx")
        XCTAssertEqual(FaceModels.identify(variant)?.note, "approved by you (checksum not a published one)")
        let other = try copy(try sharedYuNet, to: outside, as: "yunet-other.onnx")
        try flipByte(in: other, at: 2000)
        XCTAssertNil(FaceModels.identify(other), "approval covers those bytes only")
    }

    func testExplicitPathProblems() throws {
        let missing = data.appendingPathComponent("nope.onnx")
        XCTAssertThrowsError(try FaceModels.resolve(.sface, path: missing.path, allowUnverified: true)) {
            XCTAssertEqual("\($0)", "\(missing.path) does not exist (the SFace model file)")
        }
        XCTAssertThrowsError(try FaceModels.resolve(.sface, path: data.path)) {
            XCTAssertTrue("\($0)".contains("is not a file"), "\($0)")
        }
        let fifo = data.appendingPathComponent("pipe.onnx")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try FaceModels.resolve(.sface, path: fifo.path, allowUnverified: true)) {
            XCTAssertEqual("\($0)", "\(fifo.path) is not a file (the SFace model file)")
        }
        let yunet = try sharedYuNet
        XCTAssertThrowsError(try FaceModels.resolve(.sface, path: yunet.path)) {
            XCTAssertEqual("\($0)", "\(yunet.path) is the known YuNet file face_detection_yunet_2022mar.onnx; it cannot serve as the SFace model")
        }
        let small = data.appendingPathComponent("tiny.onnx")
        try Data("not a network".utf8).write(to: small)
        XCTAssertThrowsError(try FaceModels.resolve(.yunet, path: small.path)) {
            XCTAssertTrue("\($0)".contains("(13 bytes) has SHA-256 \(ContentHash.sha256(Data("not a network".utf8))), "
                                           + "which is not a known YuNet file"), "\($0)")
        }
    }

    func testKnownFileIsFoundWhateverItsNameAndADecoyIsNot() throws {
        // A file with the official name but other bytes, and the real bytes under another name.
        try FileManager.default.createDirectory(at: weightsFolder, withIntermediateDirectories: true)
        let decoy = weightsFolder.appendingPathComponent("face_recognition_sface_2021dec.onnx")
        try Data(repeating: 7, count: 1000).write(to: decoy)
        let renamed = try copy(try sharedSFace, to: weightsFolder, as: "my sface model.bin")
        XCTAssertEqual(try FaceModels.resolve(.sface), renamed)
        // Only a file passed explicitly may be unverified: a search never takes the decoy.
        XCTAssertEqual(try FaceModels.resolve(.sface, allowUnverified: true), renamed)

        try FileManager.default.removeItem(at: renamed)
        XCTAssertThrowsError(try FaceModels.resolve(.sface)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("no SFace model file found: looked in \(self.weightsFolder.path) "), text)
            XCTAssertTrue(text.contains("get it with: tribelens-cli weights fetch sface"), text)
            XCTAssertTrue(text.contains("ignored \(decoy.path) (SHA-256 \(ContentHash.sha256(Data(repeating: 7, count: 1000))), not a known SFace file)"), text)
        }
    }

    func testYuNetIsFoundInWeightsOrDetectorsByChecksum() throws {
        XCTAssertNil(YuNetModelLocator.find())
        XCTAssertThrowsError(try FaceModels.resolve(.yunet)) { error in
            XCTAssertTrue("\(error)".contains("looked in \(self.weightsFolder.path) and \(self.detectorsFolder.path) "), "\(error)")
            XCTAssertTrue("\(error)".contains("tribelens-cli weights fetch yunet"), "\(error)")
        }
        // An unknown file with YuNet's name is not a YuNet model.
        try FileManager.default.createDirectory(at: detectorsFolder, withIntermediateDirectories: true)
        try Data(repeating: 1, count: KnownModelFile.yunetOfficial.byteCount)
            .write(to: detectorsFolder.appendingPathComponent(YuNetModelLocator.fileName))
        XCTAssertNil(YuNetModelLocator.find())

        let inDetectors = try copy(try sharedYuNet, to: detectorsFolder, as: "yunet-copy.onnx")
        XCTAssertEqual(YuNetModelLocator.find(), inDetectors.path)
        // weights/ comes first; the SFace file there is skipped for YuNet, without reading it.
        _ = try copy(try sharedSFace, to: weightsFolder, as: "a.onnx")
        let digestsBefore = FaceModels.cache.filesHashed
        XCTAssertEqual(YuNetModelLocator.find(), inDetectors.path)
        XCTAssertEqual(FaceModels.cache.filesHashed, digestsBefore, "the SFace-sized file was hashed while looking for YuNet")
        let inWeights = try copy(try sharedYuNet, to: weightsFolder, as: "z.onnx")
        XCTAssertEqual(YuNetModelLocator.find(), inWeights.path)
        // A symbolic link to a model kept elsewhere is followed.
        try FileManager.default.removeItem(at: inWeights)
        try FileManager.default.createSymbolicLink(at: inWeights, withDestinationURL: try sharedYuNet)
        XCTAssertEqual(YuNetModelLocator.find(), inWeights.path)
    }

    func testInstalledListsKnownAndUnknownFiles() throws {
        let sface = try copy(try sharedSFace, to: weightsFolder, as: "renamed.onnx")
        let stray = weightsFolder.appendingPathComponent("stray.onnx")
        try Data("x".utf8).write(to: stray)
        try Data("y".utf8).write(to: weightsFolder.appendingPathComponent("notes.txt"))
        try Data("z".utf8).write(to: weightsFolder.appendingPathComponent("face_recognition_sface_2021dec.onnx.part"))
        let found = FaceModels.installed()
        XCTAssertEqual(found.map(\.url.lastPathComponent), ["renamed.onnx", "stray.onnx"])
        XCTAssertEqual(found.first { $0.url == sface }?.known, .sfaceDerivedFloat32)
        XCTAssertEqual(found.first { $0.url == stray }?.sha256, ContentHash.sha256(Data("x".utf8)))
        XCTAssertNil(found.first { $0.url == stray }?.known)
    }

    func testDigestCacheIsSharedSafelyAcrossThreads() throws {
        let file = try copy(try sharedYuNet, to: data, as: "threads.onnx")
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in results.add(FaceModels.identify(file)) }
        XCTAssertEqual(results.values.count, 16)
        XCTAssertTrue(results.values.allSatisfy { $0 == .yunetOfficial })
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [KnownModelFile?] = []
    func add(_ value: KnownModelFile?) { lock.withLock { stored.append(value) } }
    var values: [KnownModelFile?] { lock.withLock { stored } }
}
