import Foundation
import XCTest
import FaceKit

final class EvaluationReportTests: XCTestCase {
    // 3 members; A and B are in group X, B also in Y, C only in Y.
    let classes = ["A", "B", "C"]
    let groups = ["A": ["X"], "B": ["X", "Y"], "C": ["Y"]]

    /// Six samples worked out by hand.
    ///   sample  true  probabilities (A, B, C)   predicted  rank of true
    ///   0       A     .7 .2 .1                  A          1
    ///   1       A     .1 .6 .3                  B          3
    ///   2       B     .2 .5 .3                  B          1
    ///   3       B     .6 .3 .1                  A          2
    ///   4       C     .3 .3 .4                  C          1
    ///   5       C     .5 .1 .4                  A          2
    func testHandWorkedExample() throws {
        let p: [Float] = [0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.2, 0.5, 0.3, 0.6, 0.3, 0.1, 0.3, 0.3, 0.4, 0.5, 0.1, 0.4]
        let r = try EvaluationReport(probabilities: p, labels: [0, 0, 1, 1, 2, 2], classes: classes, memberGroups: groups)
        XCTAssertEqual(r.confusion, [[1, 1, 0], [1, 1, 0], [1, 0, 1]])
        XCTAssertEqual(r.accuracy, 3.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(r.top3Accuracy, 1, accuracy: 1e-12) // only 3 classes: everything is top-3
        // A: predicted 3 times, 1 right; B: predicted twice, 1 right; C: once, right.
        for (got, want) in zip(r.perClass.map(\.precision), [1.0 / 3, 0.5, 1.0]) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        for got in r.perClass.map(\.recall) { XCTAssertEqual(got, 0.5, accuracy: 1e-12) }
        XCTAssertEqual(r.perClass[0].f1, 2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5), accuracy: 1e-12)
        XCTAssertEqual(r.perClass.map(\.support), [2, 2, 2])
        XCTAssertEqual(r.macroRecall, 0.5, accuracy: 1e-12)
        // Shared group: 0 A->A yes, 1 A->B (X) yes, 2 yes, 3 B->A (X) yes, 4 yes, 5 C->A no.
        XCTAssertEqual(r.groupAccuracyShared ?? -1, 5.0 / 6, accuracy: 1e-12)
        // Same group set: 0 yes, 1 {X} vs {X,Y} no, 2 yes, 3 no, 4 yes, 5 no.
        XCTAssertEqual(r.groupAccuracyExact ?? -1, 3.0 / 6, accuracy: 1e-12)
        let expectedLoss = -[0.7, 0.1, 0.5, 0.3, 0.4, 0.4].map { log(Double(Float($0))) }.reduce(0, +) / 6
        XCTAssertEqual(r.loss, expectedLoss, accuracy: 1e-7)
        XCTAssertTrue(r.text().contains("accuracy: 0.5000"), r.text())
    }

    func testTop3AgainstANaiveSortWithManyClasses() throws {
        var state: UInt64 = 7
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) + 1e-3
        }
        let c = 10, n = 200
        var p: [Float] = []
        var labels: [Int] = []
        for i in 0..<n {
            let row = (0..<c).map { _ in uniform() }
            let sum = row.reduce(0, +)
            p += row.map { $0 / sum }
            labels.append(i % c)
        }
        let r = try EvaluationReport(probabilities: p, labels: labels, classes: (0..<c).map { "m\($0)" })
        var hits = 0, correct = 0
        for i in 0..<n {
            let row = Array(p[i * c ..< (i + 1) * c])
            let sorted = row.indices.sorted { row[$0] > row[$1] }
            if sorted.prefix(3).contains(labels[i]) { hits += 1 }
            if sorted[0] == labels[i] { correct += 1 }
        }
        XCTAssertEqual(r.top3Accuracy, Double(hits) / Double(n))
        XCTAssertEqual(r.accuracy, Double(correct) / Double(n))
        XCTAssertGreaterThan(r.top3Accuracy, r.accuracy)
        XCTAssertNil(r.groupAccuracyShared, "no groups given")
    }

    func testBadInputIsAnError() {
        XCTAssertThrowsError(try EvaluationReport(probabilities: [0.5, 0.5], labels: [0, 1], classes: ["a", "b"]))
        XCTAssertThrowsError(try EvaluationReport(probabilities: [0.5, 0.5], labels: [2], classes: ["a", "b"]))
        XCTAssertThrowsError(try EvaluationReport(probabilities: [], labels: [], classes: ["a", "b"]))
    }

    func testJSONRoundTrip() throws {
        let r = try EvaluationReport(probabilities: [0.9, 0.1, 0.2, 0.8], labels: [0, 1], classes: ["a", "b"], memberGroups: ["a": ["g"]])
        let data = try JSONEncoder().encode(r)
        XCTAssertEqual(try JSONDecoder().decode(EvaluationReport.self, from: data), r)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertNotNil(object["top3_accuracy"])
        XCTAssertNotNil(object["per_class"])
    }
}
