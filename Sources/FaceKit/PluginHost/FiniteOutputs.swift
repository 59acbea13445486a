/// A plugin's probabilities and similarities end in JSON (which has no NaN), thresholds and the
/// window. Finite weights can still overflow to infinity and NaN inside a network, and a plugin
/// may leave values unset, so the host refuses non-finite answers where they leave the plugin.
enum FiniteOutputs {
    static func check(_ values: [Float], _ what: String, classCount: Int, backend: String) throws {
        guard let bad = values.firstIndex(where: { !$0.isFinite }) else { return }
        let image = bad / max(classCount, 1) + 1
        throw BackendError(.diverged, "\(backend): the model gave \(values[bad].isNaN ? "NaN" : "an infinite value") as the "
                           + "\(what) of image \(image); its numbers overflow (weights far too large?), so it cannot be used")
    }
}
