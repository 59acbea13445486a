import Foundation

/// Gives the faces of one photo distinct members, maximising the summed log-probability.
///
/// Each face may also stay unassigned ("unknown") at the price of `-log(unknownProbability)`,
/// as if "someone not in the roster" were one more candidate with that probability; so a
/// stranger does not take a member from a face that clearly is that member.
public enum JointAssignment {
    /// - Parameters:
    ///   - probabilities: row-major `faces x members`.
    ///   - unknownProbability: nil forces every face onto a member (when faces <= members).
    ///   - eligible: row-major `faces x members`; false where a face may not be that member
    ///     (the open-set threshold says it is not them). Such a face stays unknown rather than
    ///     take the member from another face, even when faces are forced onto members.
    /// - Returns: the member index of each face, or nil for unknown.
    public static func assign(probabilities: [Float], faces: Int, members: Int, unknownProbability: Double?,
                              eligible: [Bool]? = nil) -> [Int?] {
        precondition(probabilities.count == faces * members)
        precondition(eligible == nil || eligible!.count == faces * members)
        if faces == 0 { return [] }
        func cost(_ p: Double) -> Double { -log(max(p, 1e-12)) }
        // Columns: the members, then one "unknown" slot per face (or enough dummies that extra
        // faces can stay unassigned when there are more faces than members).
        let dummies = unknownProbability != nil || eligible != nil ? faces : max(0, faces - members)
        let dummyCost = unknownProbability.map(cost) ?? 1e6
        // Dearer than any dummy, so an ineligible pair is taken only if nothing else is left.
        let ineligibleCost = 1e9
        let columns = members + dummies
        var matrix = [Double](repeating: 0, count: faces * columns)
        for f in 0..<faces {
            for m in 0..<members {
                let allowed = eligible?[f * members + m] ?? true
                matrix[f * columns + m] = allowed ? cost(Double(probabilities[f * members + m])) : ineligibleCost
            }
            for d in 0..<dummies { matrix[f * columns + members + d] = dummyCost }
        }
        return HungarianAssignment.solve(cost: matrix, rows: faces, columns: columns).enumerated().map { f, column in
            guard column < members, eligible?[f * members + column] ?? true else { return nil }
            return column
        }
    }
}
