/// Mean loss and accuracy over one pass over samples (an epoch of training, or an evaluation),
/// as Keras reports them: each batch's mean loss weighted by its size, correct / samples.
///
/// The one value type for this that NeuralKit (trainer, predictor), the plugins (BackendPluginKit)
/// and the host (FaceKit) share, so no module needs another's name for it. Only the value is
/// shared: between host and plugin it travels as the ABI's `tl_metrics`, never as this Swift type.
public struct PassMetrics: Codable, Sendable, Equatable {
    public var loss: Double
    public var accuracy: Double
    public var samples: Int

    public init(loss: Double, accuracy: Double, samples: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.samples = samples
    }
}
