import Foundation

/// How well a model does on labelled samples: the numbers `tribelens-cli evaluate` prints and
/// model.json keeps as test metrics.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public struct ClassMetrics: Codable, Sendable, Equatable {
        public var name: String
        /// 0 when the class was never predicted (scikit-learn's zero_division=0).
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public var classes: [String]
    public var samples: Int
    public var accuracy: Double
    /// The true class is among the 3 most probable: fewer than 3 classes have a strictly higher
    /// probability than it.
    public var top3Accuracy: Double
    /// Mean categorical cross-entropy with Keras' clipping of probabilities to [1e-7, 1 - 1e-7].
    public var loss: Double
    public var macroPrecision: Double
    public var macroRecall: Double
    public var macroF1: Double
    public var perClass: [ClassMetrics]
    /// confusion[true][predicted] counts.
    public var confusion: [[Int]]
    /// The predicted member shares at least one group with the true member (e.g. both EXILE).
    /// nil when no sample's member has groups.
    public var groupAccuracyShared: Double?
    /// The predicted member's set of groups equals the true member's set.
    public var groupAccuracyExact: Double?

    enum CodingKeys: String, CodingKey {
        case classes, samples, accuracy, loss, confusion
        case top3Accuracy = "top3_accuracy", macroPrecision = "macro_precision", macroRecall = "macro_recall"
        case macroF1 = "macro_f1", perClass = "per_class", groupAccuracyShared = "group_accuracy_shared"
        case groupAccuracyExact = "group_accuracy_exact"
    }

    /// - Parameters:
    ///   - probabilities: row i is sample i's class probabilities (`classes.count` each).
    ///   - labels: the true class index of each sample.
    ///   - memberGroups: class name -> its groups (a member may belong to several).
    public init(probabilities: [Float], labels: [Int], classes: [String], memberGroups: [String: [String]] = [:]) throws {
        let c = classes.count
        let n = labels.count
        guard c >= 1, probabilities.count == n * c else {
            throw BackendError(.invalidArgument, "evaluation: \(probabilities.count) probabilities for \(n) samples of \(c) classes")
        }
        guard n > 0 else { throw BackendError(.invalidArgument, "evaluation: no samples") }
        if let bad = labels.first(where: { $0 < 0 || $0 >= c }) {
            throw BackendError(.invalidArgument, "evaluation: label \(bad) out of range 0..<\(c)")
        }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: c), count: c)
        var top3 = 0
        var lossSum = 0.0
        var groupShared = 0, groupExact = 0, groupCounted = 0
        for i in 0..<n {
            let row = probabilities[i * c ..< (i + 1) * c]
            let predicted = Self.argmax(row) - row.startIndex
            let truth = labels[i]
            confusion[truth][predicted] += 1
            let pTrue = row[row.startIndex + truth]
            if row.filter({ $0 > pTrue }).count < 3 { top3 += 1 }
            lossSum -= log(min(max(Double(pTrue), 1e-7), 1 - 1e-7))
            let trueGroups = Set(memberGroups[classes[truth]] ?? [])
            if !trueGroups.isEmpty {
                let predictedGroups = Set(memberGroups[classes[predicted]] ?? [])
                groupCounted += 1
                if !trueGroups.isDisjoint(with: predictedGroups) { groupShared += 1 }
                if trueGroups == predictedGroups { groupExact += 1 }
            }
        }
        var perClass: [ClassMetrics] = []
        for k in 0..<c {
            let tp = confusion[k][k]
            let predictedK = (0..<c).reduce(0) { $0 + confusion[$1][k] }
            let support = confusion[k].reduce(0, +)
            let precision = predictedK > 0 ? Double(tp) / Double(predictedK) : 0
            let recall = support > 0 ? Double(tp) / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            perClass.append(ClassMetrics(name: classes[k], precision: precision, recall: recall, f1: f1, support: support))
        }
        // Macro averages over classes present in the data, so an absent member does not count as 0.
        let present = perClass.filter { $0.support > 0 }
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        self.classes = classes
        self.samples = n
        self.accuracy = Double((0..<c).reduce(0) { $0 + confusion[$1][$1] }) / Double(n)
        self.top3Accuracy = Double(top3) / Double(n)
        self.loss = lossSum / Double(n)
        self.macroPrecision = mean(present.map(\.precision))
        self.macroRecall = mean(present.map(\.recall))
        self.macroF1 = mean(present.map(\.f1))
        self.perClass = perClass
        self.confusion = confusion
        self.groupAccuracyShared = groupCounted > 0 ? Double(groupShared) / Double(groupCounted) : nil
        self.groupAccuracyExact = groupCounted > 0 ? Double(groupExact) / Double(groupCounted) : nil
    }

    /// Index of the largest value; the first one on ties (as numpy's argmax).
    static func argmax(_ row: ArraySlice<Float>) -> Int {
        var best = row.startIndex
        for i in row.indices where row[i] > row[best] { best = i }
        return best
    }

    /// The human-readable report.
    public func text() -> String {
        var lines: [String] = []
        lines.append(String(format: "samples: %d   accuracy: %.4f   top-3 accuracy: %.4f   loss: %.4f", samples, accuracy, top3Accuracy, loss))
        if let shared = groupAccuracyShared, let exact = groupAccuracyExact {
            lines.append(String(format: "group accuracy: %.4f (shares a group)   %.4f (same groups)", shared, exact))
        }
        lines.append(String(format: "macro precision: %.4f   recall: %.4f   F1: %.4f", macroPrecision, macroRecall, macroF1))
        let width = max(6, classes.map(\.count).max() ?? 6)
        lines.append("")
        lines.append("member".padding(toLength: width, withPad: " ", startingAt: 0) + "  precision  recall      F1  support")
        for m in perClass {
            lines.append(m.name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + String(format: "  %9.3f  %6.3f  %6.3f  %7d", m.precision, m.recall, m.f1, m.support))
        }
        lines.append("")
        lines.append("confusion matrix (rows: true, columns: predicted, in the order above)")
        for row in confusion { lines.append(row.map { String(format: "%4d", $0) }.joined()) }
        return lines.joined(separator: "\n")
    }
}
