import FaceKit
import TrainingMetrics
import Foundation
import TrainingMetrics

/// An in-process backend for app-logic tests: it learns nothing, and each image's probabilities
/// come from `answer` (e.g. by the image's colour); an error thrown there fails that prediction.
/// Its models save a small file and load back from it, so they go through the real `ModelStore`
/// and `FacePredictor` (policy, joint assignment) like a plugin's.
public final class FakeBackend: ModelBackend {
    public typealias Answer = @Sendable (_ image: ArraySlice<UInt8>) throws -> [Float]

    public let info: BackendInfo
    private let answer: Answer

    /// `answer` gets one image of `input` and returns one probability per class.
    public init(id: String = "fake", input: InputSpec = .legacy, answer: @escaping Answer) {
        info = BackendInfo(id: id, version: "1.0.0", displayName: "Fake", description: "test double", input: input)
        self.answer = answer
    }

    public func makeModel(_ configuration: ModelConfiguration) throws -> any BackendModel {
        FakeModel(classCount: configuration.classCount, input: info.input, answer: answer)
    }

    public func loadModel(from directory: URL, configuration: ModelConfiguration?) throws -> any BackendModel {
        let text = try String(contentsOf: directory.appendingPathComponent(FakeModel.fileName), encoding: .utf8)
        guard let classCount = Int(text) else { throw BackendError(.format, "fake model: \"\(text)\" is not a class count") }
        return FakeModel(classCount: classCount, input: info.input, answer: answer)
    }
}

/// A `FakeBackend` model: predictions from the backend's closure; training and evaluation only
/// count the samples.
public final class FakeModel: BackendModel {
    static let fileName = "fake-model.txt"

    public let classCount: Int
    private let input: InputSpec
    private let answer: FakeBackend.Answer

    init(classCount: Int, input: InputSpec, answer: @escaping FakeBackend.Answer) {
        self.classCount = classCount
        self.input = input
        self.answer = answer
    }

    public func trainEpoch(on source: any SampleSource, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                           progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        PassMetrics(loss: 0, accuracy: 1, samples: source.count)
    }

    public func evaluate(on source: any SampleSource, batchSize: Int, progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        PassMetrics(loss: 0, accuracy: 1, samples: source.count)
    }

    public func predict(pixels: [UInt8], count: Int) throws -> [Float] {
        guard count >= 0, pixels.count == count * input.bytes else {
            throw BackendError(.invalidArgument, "predict: \(pixels.count) bytes is not \(count) images of \(input)")
        }
        var probabilities: [Float] = []
        for i in 0..<count {
            let row = try answer(pixels[i * input.bytes ..< (i + 1) * input.bytes])
            guard row.count == classCount else {
                throw BackendError(.internal, "fake answer has \(row.count) probabilities for \(classCount) classes")
            }
            probabilities += row
        }
        return probabilities
    }

    public func save(to directory: URL) throws {
        try Data(String(classCount).utf8).write(to: directory.appendingPathComponent(Self.fileName))
    }
}
