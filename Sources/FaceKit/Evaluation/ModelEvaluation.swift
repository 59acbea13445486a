/// Runs a model over labelled samples and builds the `EvaluationReport`.
public enum ModelEvaluation {
    /// Class probabilities for every sample of `source` (in index order) and their labels.
    public static func predictAll(_ model: any BackendModel, on source: any SampleSource, batchSize: Int = 64)
        throws -> (probabilities: [Float], labels: [Int]) {
        let all = try run(model, on: source, batchSize: batchSize, similarities: false)
        return (all.probabilities, all.labels)
    }

    /// Probabilities, similarities (when asked and the backend gives them) and labels of every
    /// sample of `source`, in index order, from one pass of the backend over the source.
    public static func run(_ model: any BackendModel, on source: any SampleSource, batchSize: Int = 64, similarities: Bool)
        throws -> (probabilities: [Float], similarities: [Float]?, labels: [Int]) {
        let predicted = try model.predict(source: source, batchSize: batchSize, similarities: similarities)
        // The labels, without the pixels (sample keys come along; in-memory sources have both).
        var labels = [Int32](repeating: 0, count: source.count)
        var keys = [UInt64](repeating: 0, count: 2 * source.count)
        let indices = (0..<source.count).map(UInt64.init)
        try indices.withUnsafeBufferPointer { idx in
            try keys.withUnsafeMutableBufferPointer { k in
                try labels.withUnsafeMutableBufferPointer { try source.fetchKeys(indices: idx, keys: k.baseAddress!, labels: $0.baseAddress!) }
            }
        }
        return (predicted.probabilities, predicted.similarities, labels.map(Int.init))
    }

    public static func report(_ model: any BackendModel, on source: any SampleSource, classes: [String],
                              memberGroups: [String: [String]]) throws -> EvaluationReport {
        guard model.classCount == classes.count else {
            throw BackendError(.invalidArgument, "the model predicts \(model.classCount) classes but \(classes.count) class names were given")
        }
        let (probabilities, labels) = try predictAll(model, on: source)
        return try EvaluationReport(probabilities: probabilities, labels: labels, classes: classes, memberGroups: memberGroups)
    }
}
