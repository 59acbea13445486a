/// A loaded model ready to label the faces of one photo at a time: the one prediction path of
/// the app and the CLI (`PhotoPrediction` finds and crops the faces for it).
public final class FacePredictor {
    public let manifest: ModelManifest
    public let model: any BackendModel
    public var policy: PredictionPolicy
    /// The images the model's backend takes.
    public let input: InputSpec

    public init(manifest: ModelManifest, model: any BackendModel, policy: PredictionPolicy = PredictionPolicy(),
                input: InputSpec = .legacy) throws {
        guard model.classCount == manifest.classes.count else {
            throw BackendError(.format, "the model predicts \(model.classCount) classes but model.json lists \(manifest.classes.count)")
        }
        self.manifest = manifest
        self.model = model
        self.policy = policy
        self.input = input
    }

    /// Loads a saved model (`nil` name: the active one) through the plugins that are installed.
    public convenience init(store: ModelStore, name: String?, backends: [any ModelBackend],
                            policy: PredictionPolicy = PredictionPolicy()) throws {
        guard let name = name ?? store.activeName() else {
            throw ModelStoreError("no model given and none is active; use --model NAME or `tribelens-cli model activate NAME`")
        }
        let (manifest, model) = try store.load(name: name) { id in backends.first { $0.info.id == id } }
        let backend = backends.first { $0.info.id == manifest.backend.id }
        try self.init(manifest: manifest, model: model, policy: policy, input: backend?.info.input ?? .legacy)
    }

    /// The detector the model's dataset was built with (model.json's `preprocessing.detector`)
    /// and the backend's input, so a photo's faces are found and cropped as the training faces were.
    public var preparation: FacePreparation {
        let detector = manifest.preprocessing["detector"].flatMap { value -> String? in
            if case .string(let name) = value { return name } else { return nil }
        } ?? "haar-default"
        return FacePreparation(detector: detector, input: input)
    }

    /// The model's detector (`preparation`), or the one named by `override`.
    public func makeDetector(named override: String? = nil, yunetModel: String? = nil, allowUnverified: Bool = false) throws -> any FaceDetector {
        var preparation = self.preparation
        if let override { preparation.detector = override }
        return try preparation.makeDetector(yunetModel: yunetModel, allowUnverified: allowUnverified)
    }

    /// Labels the faces of ONE photo (images of `input` back to back), so no member is used
    /// twice; faces below the model's open-set threshold are unknown.
    public func labelFaces(pixels: [UInt8], count: Int) throws -> [FaceLabel] {
        guard count > 0 else { return [] }
        // One pass gives both: an embedding backend runs its network once per face.
        let (probabilities, similarities) = manifest.openSet == nil
            ? (try model.predict(pixels: pixels, count: count), nil)
            : try model.predict(source: try InMemorySamples(pixels: pixels, labels: [Int32](repeating: 0, count: count), imageBytes: input.bytes),
                                batchSize: 32, similarities: true)
        guard let openSet = manifest.openSet, let similarities else {
            return calibrated(policy.label(probabilities: probabilities, classes: manifest.classes, memberGroups: manifest.memberGroups))
        }
        // The open-set threshold decides before the joint assignment, so a stranger cannot take
        // a member's slot and push the real member's face onto someone else.
        let eligible = similarities.map { Double($0) >= openSet.similarity }
        var labels = policy.label(probabilities: probabilities, classes: manifest.classes,
                                  memberGroups: manifest.memberGroups, eligible: eligible)
        let c = manifest.classes.count
        for f in labels.indices {
            let row = probabilities[f * c ..< (f + 1) * c]
            let best = labels[f].member.flatMap { manifest.classes.firstIndex(of: $0) }
                ?? (row.indices.max { row[$0] < row[$1] }! - row.startIndex)
            let similarity = Double(similarities[f * c + best])
            labels[f].similarity = similarity
            if similarity < openSet.similarity {
                labels[f].member = nil
                labels[f].groups = []
                labels[f].group = nil
            }
        }
        return calibrated(labels)
    }

    /// Marks each named face sure or not by the model's calibrated confidence.
    private func calibrated(_ labels: [FaceLabel]) -> [FaceLabel] {
        guard let confidence = manifest.confidence else { return labels }
        return labels.map { label in
            var label = label
            label.sure = label.member == nil ? nil : confidence.isSure(label.probability)
            return label
        }
    }
}
