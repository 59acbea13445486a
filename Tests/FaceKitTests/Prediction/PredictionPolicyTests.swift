import XCTest
import FaceKit

final class PredictionPolicyTests: XCTestCase {
    let classes = ["TAKAHIRO", "AKIRA", "NAOTO", "RYUJI"]
    let groups = ["TAKAHIRO": ["EXILE"], "AKIRA": ["EXILE"], "NAOTO": ["EXILE", "3JSB"], "RYUJI": ["3JSB"]]

    func testConfidentMemberWithGroupsAndTop3() {
        let labels = PredictionPolicy(threshold: 0.5).label(probabilities: [0.87, 0.05, 0.05, 0.03], classes: classes, memberGroups: groups)
        XCTAssertEqual(labels.count, 1)
        XCTAssertEqual(labels[0].member, "TAKAHIRO")
        XCTAssertEqual(labels[0].groups, ["EXILE"])
        XCTAssertEqual(labels[0].probability, 0.87, accuracy: 1e-6)
        XCTAssertEqual(labels[0].top.map(\.member), ["TAKAHIRO", "AKIRA", "NAOTO"], "ties keep class order")
        XCTAssertNil(labels[0].group)
    }

    func testUncertainMemberButConfidentGroup() {
        // No member reaches 0.5, but EXILE's members sum to 0.9.
        let labels = PredictionPolicy(threshold: 0.5).label(probabilities: [0.35, 0.3, 0.25, 0.1], classes: classes, memberGroups: groups)
        XCTAssertNil(labels[0].member)
        XCTAssertEqual(labels[0].group, "EXILE")
        XCTAssertEqual(labels[0].groups, ["EXILE"])
        XCTAssertEqual(labels[0].probability, 0.9, accuracy: 1e-6)
    }

    func testUnknownWhenNeitherMemberNorGroupIsSure() {
        let policy = PredictionPolicy(threshold: 0.5, groupThreshold: 0.95)
        let labels = policy.label(probabilities: [0.35, 0.3, 0.25, 0.1], classes: classes, memberGroups: groups)
        XCTAssertNil(labels[0].member)
        XCTAssertNil(labels[0].group)
        XCTAssertEqual(labels[0].groups, [])
        XCTAssertEqual(labels[0].probability, 0.35, accuracy: 1e-6)
        XCTAssertEqual(labels[0].top.first?.member, "TAKAHIRO")
    }

    func testOnePhotoNeverNamesAMemberTwice() {
        let p: [Float] = [0.7, 0.25, 0.03, 0.02,
                          0.9, 0.02, 0.06, 0.02,
                          0.6, 0.1, 0.1, 0.2]
        let joint = PredictionPolicy(threshold: 0.2).label(probabilities: p, classes: classes, memberGroups: groups)
        XCTAssertEqual(joint.map(\.member), ["AKIRA", "TAKAHIRO", "RYUJI"])
        let independent = PredictionPolicy(threshold: 0.2, jointAssignment: false).label(probabilities: p, classes: classes, memberGroups: groups)
        XCTAssertEqual(independent.map(\.member), ["TAKAHIRO", "TAKAHIRO", "TAKAHIRO"], "the problem joint assignment solves")
    }
}
