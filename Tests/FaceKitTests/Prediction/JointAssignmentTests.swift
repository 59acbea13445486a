import Foundation
import XCTest
import FaceKit

final class JointAssignmentTests: XCTestCase {
    private var state: UInt64 = 12345
    private func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }

    /// Minimum total cost over every injective row -> column map, by enumeration.
    private func bruteForce(_ cost: [Double], rows: Int, columns: Int) -> Double {
        var best = Double.infinity
        var used = [Bool](repeating: false, count: columns)
        func go(_ row: Int, _ total: Double) {
            if row == rows { best = min(best, total); return }
            for j in 0..<columns where !used[j] {
                used[j] = true
                go(row + 1, total + cost[row * columns + j])
                used[j] = false
            }
        }
        go(0, 0)
        return best
    }

    func testHungarianMatchesBruteForceOnRandomMatrices() {
        for trial in 0..<400 {
            let rows = 1 + trial % 5
            let columns = rows + (trial / 5) % 4
            let cost = (0..<(rows * columns)).map { _ in -log(max(uniform(), 1e-9)) }
            let assignment = HungarianAssignment.solve(cost: cost, rows: rows, columns: columns)
            XCTAssertEqual(Set(assignment).count, rows, "distinct columns")
            XCTAssertTrue(assignment.allSatisfy { (0..<columns).contains($0) })
            let total = assignment.enumerated().reduce(0) { $0 + cost[$1.offset * columns + $1.element] }
            XCTAssertEqual(total, bruteForce(cost, rows: rows, columns: columns), accuracy: 1e-9, "trial \(trial)")
        }
    }

    func testTwoFacesNeverGetTheSameMember() {
        for trial in 0..<300 {
            let faces = 1 + trial % 6, members = 2 + trial % 4
            var p: [Float] = []
            for _ in 0..<faces {
                // Peaked rows, often on the same member, to provoke collisions.
                let row = (0..<members).map { k in Float(k == 0 ? 5 * uniform() : uniform()) }
                let sum = row.reduce(0, +)
                p += row.map { $0 / sum }
            }
            for unknown in [nil, 0.3] as [Double?] {
                let chosen = JointAssignment.assign(probabilities: p, faces: faces, members: members, unknownProbability: unknown)
                let named = chosen.compactMap { $0 }
                XCTAssertEqual(Set(named).count, named.count, "no member twice (trial \(trial))")
                if unknown == nil { XCTAssertEqual(named.count, min(faces, members)) }
            }
        }
    }

    func testJointAssignmentMaximisesTheSummedLogProbability() {
        for trial in 0..<150 {
            let faces = 1 + trial % 4, members = 1 + (trial / 4) % 5
            let p = (0..<(faces * members)).map { _ in Float(uniform()) }
            let threshold = 0.2
            let chosen = JointAssignment.assign(probabilities: p, faces: faces, members: members, unknownProbability: threshold)
            func score(_ a: [Int?]) -> Double {
                var total = 0.0
                for (face, member) in a.enumerated() {
                    total += log(member.map { Double(p[face * members + $0]) } ?? threshold)
                }
                return total
            }
            // Brute force over members or unknown for every face.
            var best = -Double.infinity
            func go(_ f: Int, _ current: [Int?]) {
                if f == faces {
                    let named = current.compactMap { $0 }
                    if Set(named).count == named.count { best = max(best, score(current)) }
                    return
                }
                go(f + 1, current + [nil])
                for m in 0..<members { go(f + 1, current + [m]) }
            }
            go(0, [])
            XCTAssertEqual(score(chosen), best, accuracy: 1e-6, "trial \(trial)")
        }
    }

    func testTheObviousCase() {
        // Both faces look most like member 0; face 1 much more so, so face 0 gets its second choice.
        let p: [Float] = [0.6, 0.4, 0.0,
                          0.95, 0.01, 0.04]
        XCTAssertEqual(JointAssignment.assign(probabilities: p, faces: 2, members: 3, unknownProbability: nil), [1, 0])
        // With an "unknown" option at 0.5, face 0 (0.4 for member 1) becomes unknown instead.
        XCTAssertEqual(JointAssignment.assign(probabilities: p, faces: 2, members: 3, unknownProbability: 0.5), [nil, 0])
    }

    func testAFaceTheOpenSetTurnsAwayStaysUnknownAndTakesNoMembersSlot() {
        // Face 1 is a stranger the softmax puts on member 0 at 97%; face 0 is member 0 at 90%.
        let p: [Float] = [0.90, 0.08, 0.02,
                          0.97, 0.02, 0.01]
        // Without the open set, the stranger takes member 0 and pushes face 0 onto member 1.
        XCTAssertEqual(JointAssignment.assign(probabilities: p, faces: 2, members: 3, unknownProbability: nil), [1, 0])
        // The open-set threshold says face 1 is nobody: it stays unknown and face 0 keeps member 0,
        // whether faces are forced onto members or may stay unknown.
        let eligible = [true, true, true,
                        false, false, false]
        XCTAssertEqual(JointAssignment.assign(probabilities: p, faces: 2, members: 3, unknownProbability: nil, eligible: eligible), [0, nil])
        XCTAssertEqual(JointAssignment.assign(probabilities: p, faces: 2, members: 3, unknownProbability: 0.5, eligible: eligible), [0, nil])
        // Eligible for member 1 only: it may not be named member 0 even when that is its best.
        let onlyOne = [true, true, true,
                       false, true, false]
        XCTAssertEqual(JointAssignment.assign(probabilities: p, faces: 2, members: 3, unknownProbability: nil, eligible: onlyOne), [0, 1])
    }

    func testThePolicyNamesNoIneligibleMember() {
        let p: [Float] = [0.90, 0.08, 0.02,
                          0.97, 0.02, 0.01]
        let eligible = [true, true, true, false, false, false]
        for joint in [true, false] {
            let labels = PredictionPolicy(threshold: 0.5, jointAssignment: joint)
                .label(probabilities: p, classes: ["a", "b", "c"], memberGroups: [:], eligible: eligible)
            XCTAssertEqual(labels.map(\.member), ["a", nil], "joint \(joint)")
        }
    }
}
