/// Minimum-cost assignment of rows to distinct columns (the Hungarian algorithm with row and
/// column potentials, O(rows^2 * columns)). Requires rows <= columns; every row gets a column.
public enum HungarianAssignment {
    /// Returns `column[row]`. `cost` is row-major, `rows * columns` finite values.
    public static func solve(cost: [Double], rows: Int, columns: Int) -> [Int] {
        precondition(rows <= columns && cost.count == rows * columns, "Hungarian: need rows <= columns")
        if rows == 0 { return [] }
        // 1-based arrays as in the textbook formulation; index 0 is the virtual start.
        var u = [Double](repeating: 0, count: rows + 1)      // row potentials
        var v = [Double](repeating: 0, count: columns + 1)   // column potentials
        var owner = [Int](repeating: 0, count: columns + 1)  // row matched to each column
        var way = [Int](repeating: 0, count: columns + 1)
        for row in 1...rows {
            owner[0] = row
            var column0 = 0
            var minSlack = [Double](repeating: .infinity, count: columns + 1)
            var used = [Bool](repeating: false, count: columns + 1)
            repeat {
                used[column0] = true
                let row0 = owner[column0]
                var delta = Double.infinity
                var column1 = 0
                for j in 1...columns where !used[j] {
                    let reduced = cost[(row0 - 1) * columns + (j - 1)] - u[row0] - v[j]
                    if reduced < minSlack[j] {
                        minSlack[j] = reduced
                        way[j] = column0
                    }
                    if minSlack[j] < delta {
                        delta = minSlack[j]
                        column1 = j
                    }
                }
                for j in 0...columns {
                    if used[j] {
                        u[owner[j]] += delta
                        v[j] -= delta
                    } else {
                        minSlack[j] -= delta
                    }
                }
                column0 = column1
            } while owner[column0] != 0
            // Flip the augmenting path.
            repeat {
                let previous = way[column0]
                owner[column0] = owner[previous]
                column0 = previous
            } while column0 != 0
        }
        var result = [Int](repeating: -1, count: rows)
        for j in 1...columns where owner[j] != 0 { result[owner[j] - 1] = j - 1 }
        return result
    }
}
