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
    /// twice; faces below the model's open-set threshold (or, for a model without one, its
    /// `naming` probability) are unknown. `boxes` (the faces' boxes, in order) lets the
    /// detector's confidence decide which faces may be named at all (`DetectorConfidence`);
    /// nil: images that are faces already.
    public func labelFaces(pixels: [UInt8], count: Int, boxes: [FaceBox]? = nil) throws -> [FaceLabel] {
        guard count > 0 else { return [] }
        if let boxes, boxes.count != count {
            throw BackendError(.format, "\(boxes.count) boxes for \(count) faces")
        }
        // One pass gives both: an embedding backend runs its network once per face.
        let (probabilities, similarities) = manifest.openSet == nil
            ? (try model.predict(pixels: pixels, count: count), nil)
            : try model.predict(source: try InMemorySamples(pixels: pixels, labels: [Int32](repeating: 0, count: count), imageBytes: input.bytes),
                                batchSize: 32, similarities: true)
        let c = manifest.classes.count
        // Who may be named where, decided before the joint assignment, so a stranger or a box
        // that is no face cannot take a member's slot and push the real member onto someone else.
        var eligible = [Bool](repeating: true, count: count * c)
        // A face the detector is not sure of gets no member and no group either.
        var doubtful = [Bool](repeating: false, count: count)
        if let boxes, policy.calibrated {
            let detector = DetectorConfidence(detector: preparation.detector, confidence: manifest.confidence)
            for i in eligible.indices where !detector.mayName(boxes[i / c], probability: Double(probabilities[i])) { eligible[i] = false }
            for f in 0..<count { doubtful[f] = !eligible[f * c ..< (f + 1) * c].contains(true) }
        }
        guard let openSet = manifest.openSet, let similarities else {
            // A softmax backend: its calibrated naming probability stands in for the open set.
            if let naming = manifest.naming, policy.calibrated {
                for i in eligible.indices where !naming.isSure(Double(probabilities[i])) { eligible[i] = false }
            }
            var labels = policy.label(probabilities: probabilities, classes: manifest.classes, memberGroups: manifest.memberGroups,
                                      eligible: eligible.allSatisfy { $0 } ? nil : eligible)
            for f in labels.indices where doubtful[f] {
                labels[f].groups = []
                labels[f].group = nil
            }
            return calibrated(labels)
        }
        for i in eligible.indices where Double(similarities[i]) < openSet.similarity { eligible[i] = false }
        var labels = policy.label(probabilities: probabilities, classes: manifest.classes,
                                  memberGroups: manifest.memberGroups, eligible: eligible)
        for f in labels.indices {
            let row = probabilities[f * c ..< (f + 1) * c]
            let best = labels[f].member.flatMap { manifest.classes.firstIndex(of: $0) }
                ?? (row.indices.max { row[$0] < row[$1] }! - row.startIndex)
            let similarity = Double(similarities[f * c + best])
            labels[f].similarity = similarity
            if similarity < openSet.similarity || !eligible[f * c + best] {
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
