/// Runs a model over labelled samples and builds the `EvaluationReport`.
public enum ModelEvaluation {
    /// Class probabilities for every sample of `source` (in index order) and their labels.
    public static func predictAll(_ model: any BackendModel, on source: any SampleSource, batchSize: Int = 64)
        throws -> (probabilities: [Float], labels: [Int]) {
        let all = try run(model, on: source, batchSize: batchSize, similarities: false)
        return (all.probabilities, all.labels)
    }

    /// Probabilities, similarities (when asked and the backend gives them) and labels of every
    /// sample of `source`, in index order.
    public static func run(_ model: any BackendModel, on source: any SampleSource, batchSize: Int = 64, similarities: Bool)
        throws -> (probabilities: [Float], similarities: [Float]?, labels: [Int]) {
        guard batchSize >= 1 else { throw BackendError(.invalidArgument, "batch size must be at least 1") }
        var probabilities: [Float] = []
        probabilities.reserveCapacity(source.count * model.classCount)
        var labels: [Int] = []
        var similar: [Float]? = similarities ? [] : nil
        var start = 0
        while start < source.count {
            let n = min(batchSize, source.count - start)
            var pixels = [UInt8](repeating: 0, count: n * source.imageBytes)
            var batchLabels = [Int32](repeating: 0, count: n)
            let indices = (start..<start + n).map(UInt64.init)
            try indices.withUnsafeBufferPointer { idx in
                try pixels.withUnsafeMutableBufferPointer { px in
                    try batchLabels.withUnsafeMutableBufferPointer { lb in
                        try source.fetch(indices: idx, pixels: px.baseAddress!, labels: lb.baseAddress!)
                    }
                }
            }
            if similar != nil {
                let both = try model.predictWithSimilarities(pixels: pixels, count: n)
                probabilities += both.probabilities
                if let rows = both.similarities { similar! += rows } else { similar = nil }
            } else {
                probabilities += try model.predict(pixels: pixels, count: n)
            }
            labels += batchLabels.map(Int.init)
            start += n
        }
        return (probabilities, similar, labels)
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
