import FaceKit

/// A detector that answers from a closure: lets app logic be tested without OpenCV's models.
public struct FakeFaceDetector: FaceDetector {
    public let name: String
    private let answer: @Sendable (RGBImage) -> [FaceBox]

    public init(name: String = "fake", boxes: @escaping @Sendable (RGBImage) -> [FaceBox]) {
        self.name = name
        self.answer = boxes
    }

    public func detect(in image: RGBImage) throws -> [FaceBox] { answer(image) }
}
