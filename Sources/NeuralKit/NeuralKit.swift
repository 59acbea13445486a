// NeuralKit: tensors, layers, optimisers and weight files for TribeLens' model backends.
// See docs/architecture.md. (Filled in by the NeuralKit issue.)
public enum NeuralKit {
    public static let version = "0.1.0"
}
