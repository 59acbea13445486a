/// A loaded model ready to label the face crops of one photo at a time.
public final class FacePredictor {
    public let manifest: ModelManifest
    public let model: any BackendModel
    public var policy: PredictionPolicy

    public init(manifest: ModelManifest, model: any BackendModel, policy: PredictionPolicy = PredictionPolicy()) throws {
        guard model.classCount == manifest.classes.count else {
            throw BackendError(.format, "the model predicts \(model.classCount) classes but model.json lists \(manifest.classes.count)")
        }
        self.manifest = manifest
        self.model = model
        self.policy = policy
    }

    /// Loads a saved model (`nil` name: the active one) through the plugins that are installed.
    public convenience init(store: ModelStore, name: String?, backends: [any ModelBackend],
                            policy: PredictionPolicy = PredictionPolicy()) throws {
        guard let name = name ?? store.activeName() else {
            throw ModelStoreError("no model given and none is active; use --model NAME or `tribelens-cli model activate NAME`")
        }
        let (manifest, model) = try store.load(name: name) { id in backends.first { $0.info.id == id } }
        try self.init(manifest: manifest, model: model, policy: policy)
    }

    /// Labels the faces of ONE photo (64x64 RGB crops back to back), so no member is used twice.
    public func labelFaces(pixels: [UInt8], count: Int) throws -> [FaceLabel] {
        guard count > 0 else { return [] }
        let probabilities = try model.predict(pixels: pixels, count: count)
        return policy.label(probabilities: probabilities, classes: manifest.classes, memberGroups: manifest.memberGroups)
    }
}
