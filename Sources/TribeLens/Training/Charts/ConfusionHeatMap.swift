import FaceKit
import Foundation

/// The confusion matrix of a test run as a heat map: rows are the true members, columns the
/// predicted ones, each cell coloured by its share of the row (so a member with few test faces
/// is as readable as one with many). A plain value: the maths (shares, colours, cell and label
/// positions, the accessible summary) is here, without GTK; `ConfusionHeatMapPainter` draws it.
struct ConfusionHeatMap: Sendable, Equatable {
    /// counts[true][predicted], square, `names.count` x `names.count`.
    let counts: [[Int]]
    let names: [String]

    /// `matrix` as `EvaluationReport.confusion` keeps it. A ragged or mismatched matrix is padded
    /// with zeros (and missing names with "class k") rather than trusted; negative counts read as 0.
    init(matrix: [[Int]], names: [String]) {
        let n = max(names.count, matrix.count, matrix.map(\.count).max() ?? 0)
        self.names = (0..<n).map { $0 < names.count ? names[$0] : L10n.format(L10n.tr("class %d"), $0 + 1) }
        counts = (0..<n).map { row in
            (0..<n).map { column in
                row < matrix.count && column < matrix[row].count ? max(0, matrix[row][column]) : 0
            }
        }
    }

    /// The report's matrix; `names` (e.g. romaji or Japanese display names) default to its class ids.
    init(report: EvaluationReport, names: [String]? = nil) {
        self.init(matrix: report.confusion, names: names ?? report.classes)
    }

    var count: Int { names.count }
    var rowTotals: [Int] { counts.map { $0.reduce(0, +) } }
    var total: Int { rowTotals.reduce(0, +) }
    var diagonal: Int { (0..<count).reduce(0) { $0 + counts[$1][$1] } }

    /// Each row divided by its total: the share of a member's faces given to each prediction. A
    /// member without test faces has a row of zeros (never NaN).
    var shares: [[Double]] {
        zip(counts, rowTotals).map { row, total in
            total > 0 ? row.map { Double($0) / Double(total) } : row.map { _ in 0 }
        }
    }

    struct Confusion: Sendable, Equatable {
        var truth: Int
        var predicted: Int
        var count: Int
    }

    /// The largest off-diagonal cell (the first one, in reading order, on ties); nil when none.
    var mostConfused: Confusion? {
        var best: Confusion?
        for row in 0..<count {
            for column in 0..<count where column != row && counts[row][column] > (best?.count ?? 0) {
                best = Confusion(truth: row, predicted: column, count: counts[row][column])
            }
        }
        return best
    }

    /// One line for assistive technology and the GUI tests, e.g. "Confusion matrix, 4 members, 46
    /// of 60 test faces on the diagonal; most confused: Bill Clinton taken for Angelina Jolie 3 times".
    /// Without confusions it ends "; no confusions"; without test faces: "..., no test faces".
    var summary: String {
        let members = L10n.format(L10n.plural("Confusion matrix, %d member", "Confusion matrix, %d members", count), count)
        guard total > 0 else { return L10n.format(L10n.tr("%s, no test faces"), members) }
        var text = L10n.format(L10n.plural("%1$s, %2$d of %3$d test face on the diagonal",
                                           "%1$s, %2$d of %3$d test faces on the diagonal", total), members, diagonal, total)
        if let worst = mostConfused {
            text = L10n.format(L10n.plural("%1$s; most confused: %2$s taken for %3$s %4$d time",
                                           "%1$s; most confused: %2$s taken for %3$s %4$d times", worst.count),
                               text, names[worst.truth], names[worst.predicted], worst.count)
        } else {
            text = L10n.format(L10n.tr("%s; no confusions"), text)
        }
        return text
    }

    /// What one cell means, for its tooltip: "Bill Clinton taken for Angelina Jolie: 3 of 15 (20%)",
    /// on the diagonal "Akira recognised: 12 of 15 (80%)", a member without test faces
    /// "Akira: no test faces". Empty for a cell outside the matrix.
    func cellText(row: Int, column: Int) -> String {
        guard counts.indices.contains(row), counts.indices.contains(column) else { return "" }
        let total = rowTotals[row]
        guard total > 0 else { return L10n.format(L10n.tr("%s: no test faces"), names[row]) }
        let count = counts[row][column]
        let percent = String(format: "%.0f", 100 * Double(count) / Double(total))
        return row == column
            ? L10n.format(L10n.tr("%1$s recognised: %2$d of %3$d (%4$s%%)"), names[row], count, total, percent)
            : L10n.format(L10n.tr("%1$s taken for %2$s: %3$d of %4$d (%5$s%%)"), names[row], names[column], count, total, percent)
    }

    // MARK: - Colours

    /// Colour stops of the ramp from share 0 to share 1. Every channel only falls (light) or only
    /// rises (dark) from stop to stop, so the lightness changes monotonically along the ramp: more
    /// is darker on a light background, brighter on a dark one, for any colour vision.
    static let lightRamp = [ChartColor(0.97, 0.98, 1.00), ChartColor(0.78, 0.86, 0.94), ChartColor(0.42, 0.68, 0.84),
                            ChartColor(0.13, 0.44, 0.71), ChartColor(0.03, 0.19, 0.42)]
    static let darkRamp = [ChartColor(0.10, 0.11, 0.14), ChartColor(0.10, 0.25, 0.42), ChartColor(0.16, 0.45, 0.70),
                           ChartColor(0.45, 0.70, 0.90), ChartColor(0.85, 0.93, 1.00)]

    /// The cell colour for a share (clamped to 0...1; NaN reads as 0).
    static func color(share: Double, dark: Bool) -> ChartColor {
        let ramp = dark ? darkRamp : lightRamp
        let t = share.isFinite ? min(max(share, 0), 1) : 0
        let position = t * Double(ramp.count - 1)
        let index = min(Int(position), ramp.count - 2)
        return ChartColor.mix(ramp[index], ramp[index + 1], position - Double(index))
    }

    /// Dark or light text, whichever reads on `cell`.
    static func textColor(on cell: ChartColor) -> ChartColor {
        cell.luminance > 0.3 ? ChartColor(0.1, 0.1, 0.12) : ChartColor(1, 1, 1)
    }

    // MARK: - Layout

    struct Rect: Sendable, Equatable {
        var x: Double, y: Double, width: Double, height: Double
        var maxX: Double { x + width }
        var maxY: Double { y + height }
        var midX: Double { x + width / 2 }
        var midY: Double { y + height / 2 }
    }

    /// Text anchored at (x, y): `alignX`/`alignY` as in `ChartText.draw` (0 left/top, 1 right/bottom),
    /// turned by `angle` radians.
    struct Label: Sendable, Equatable {
        var text: String
        var x: Double
        var y: Double
        var alignX: Double
        var alignY: Double
        var angle: Double = 0
    }

    /// Full names next to the rows and under the columns, or (many members, little room) the
    /// numbers 1...n with a legend "1 name".
    enum LabelMode: Sendable, Equatable { case names, indices }

    struct Layout: Sendable, Equatable {
        var mode: LabelMode
        /// The square of cells.
        var grid: Rect
        var cellSize: Double
        var labelPixels: Double
        var rowLabels: [Label]
        var columnLabels: [Label]
        var rowTitle: Label
        var columnTitle: Label
        /// "1  Akira" ... in indices mode; empty with names.
        var legend: [Label]
        var legendPixels: Double
        /// Counts are written in the cells when they fit; their text size.
        var countPixels: Double?

        func cell(row: Int, column: Int) -> Rect {
            Rect(x: grid.x + Double(column) * cellSize, y: grid.y + Double(row) * cellSize, width: cellSize, height: cellSize)
        }

        /// The cell under a point, if any (rows, columns from 0).
        func cellAt(x: Double, y: Double) -> (row: Int, column: Int)? {
            guard cellSize > 0, x >= grid.x, y >= grid.y, x < grid.maxX, y < grid.maxY else { return nil }
            return (Int((y - grid.y) / cellSize), Int((x - grid.x) / cellSize))
        }
    }

    /// A rough text width for layout decisions (the painter measures the real one): Latin
    /// characters about 0.6 em, CJK and other wide ones 1 em.
    static func estimatedWidth(_ text: String, pixels: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x2E80 ? 0.6 : 1.0) } * pixels
    }

    /// Where everything goes at `width` x `height` pixels with text `fontPixels` high.
    func layout(width: Double, height: Double, fontPixels f: Double = 12) -> Layout {
        let n = max(count, 1)
        let width = max(width, 1), height = max(height, 1)
        let titleBand = f * 1.6, gap = f * 0.4, margin = f * 0.5
        let nameWidth = names.map { Self.estimatedWidth($0, pixels: f) }.max() ?? 0

        // Names mode: row names left, column names under the grid (upright when they fit a cell, else turned).
        func namesGrid(turned: Bool) -> Double {
            let left = titleBand + nameWidth + gap, bottom = (turned ? nameWidth : f * 1.3) + gap + titleBand
            return min((width - left - margin) / Double(n), (height - bottom - margin) / Double(n))
        }
        let upright = namesGrid(turned: false)
        let turned = namesGrid(turned: true)
        let fitsUpright = nameWidth <= upright * 0.95
        let namesCell = fitsUpright ? upright : turned
        if count <= 12, namesCell >= f * 1.6, nameWidth <= width * 0.35 {
            return namesLayout(width: width, height: height, cell: namesCell, turned: !fitsUpright, nameWidth: nameWidth, f: f)
        }
        return indicesLayout(width: width, height: height, f: f)
    }

    private func namesLayout(width: Double, height: Double, cell: Double, turned: Bool, nameWidth: Double,
                             f: Double) -> Layout {
        let titleBand = f * 1.6, gap = f * 0.4, margin = f * 0.5
        let grid = Rect(x: titleBand + nameWidth + gap, y: margin, width: cell * Double(count), height: cell * Double(count))
        let rowLabels = names.indices.map { Label(text: names[$0], x: grid.x - gap, y: grid.y + (Double($0) + 0.5) * cell,
                                                  alignX: 1, alignY: 0.5) }
        let columnLabels = names.indices.map { index -> Label in
            let x = grid.x + (Double(index) + 0.5) * cell
            return turned ? Label(text: names[index], x: x, y: grid.maxY + gap, alignX: 1, alignY: 0.5, angle: -Double.pi / 2)
                : Label(text: names[index], x: x, y: grid.maxY + gap, alignX: 0.5, alignY: 0)
        }
        let columnTitleY = grid.maxY + gap + (turned ? nameWidth : f * 1.3) + gap * 0.5
        return Layout(mode: .names, grid: grid, cellSize: cell, labelPixels: f, rowLabels: rowLabels,
                      columnLabels: columnLabels, rowTitle: rowTitle(grid: grid, f: f),
                      columnTitle: Label(text: L10n.tr("predicted member"), x: grid.midX, y: min(columnTitleY, height - f * 1.3),
                                         alignX: 0.5, alignY: 0),
                      legend: [], legendPixels: f, countPixels: countPixels(cell: cell, f: f))
    }

    private func indicesLayout(width: Double, height: Double, f: Double) -> Layout {
        let n = max(count, 1)
        let titleBand = f * 1.6, gap = f * 0.4, margin = f * 0.5
        let legendPixels = f * 0.85, lineHeight = legendPixels * 1.35
        let entries = names.indices.map { "\($0 + 1)  \(names[$0])" }
        let columnWidth = (entries.map { Self.estimatedWidth($0, pixels: legendPixels) }.max() ?? 0) + f
        let indexWidth = Self.estimatedWidth("\(n)", pixels: f)
        let left = titleBand + indexWidth + gap, bottom = f * 1.3 + gap + titleBand

        // The legend beside the grid (in as many columns as the height needs) or under it,
        // whichever leaves the larger grid.
        let linesBeside = max(1, Int((height - margin * 2) / lineHeight))
        let columnsBeside = Int((Double(count) / Double(linesBeside)).rounded(.up))
        let besideCell = min((width - left - margin - f - Double(columnsBeside) * columnWidth) / Double(n),
                             (height - bottom - margin) / Double(n))
        let columnsUnder = max(1, Int((width - margin * 2) / columnWidth))
        let linesUnder = Int((Double(count) / Double(columnsUnder)).rounded(.up))
        let underCell = min((width - left - margin) / Double(n),
                            (height - bottom - margin - f * 0.5 - Double(linesUnder) * lineHeight) / Double(n))
        let beside = besideCell >= underCell
        let cell = max(1, beside ? besideCell : underCell)

        let grid = Rect(x: left, y: margin, width: cell * Double(count), height: cell * Double(count))
        let labelPixels = min(f, max(6, cell * 0.7))
        // Numbers side by side need their width and a gap; where cells are narrower, every
        // second (fifth, tenth) one is written, so they never run together.
        let columnStride = Self.labelStride(extent: Self.estimatedWidth("\(n)", pixels: labelPixels) + labelPixels * 0.4, cell: cell)
        let rowStride = Self.labelStride(extent: labelPixels * 1.1, cell: cell)
        let rowLabels = names.indices.filter { Self.shows($0, stride: rowStride) }.map {
            Label(text: "\($0 + 1)", x: grid.x - gap, y: grid.y + (Double($0) + 0.5) * cell, alignX: 1, alignY: 0.5)
        }
        let columnLabels = names.indices.filter { Self.shows($0, stride: columnStride) }.map {
            Label(text: "\($0 + 1)", x: grid.x + (Double($0) + 0.5) * cell, y: grid.maxY + gap, alignX: 0.5, alignY: 0)
        }
        let columnTitle = Label(text: L10n.tr("predicted member"), x: grid.midX, y: grid.maxY + gap + labelPixels * 1.3, alignX: 0.5, alignY: 0)
        var legend: [Label] = []
        let lines = beside ? linesBeside : linesUnder
        let origin = beside ? (x: grid.maxX + f, y: margin) : (x: margin, y: columnTitle.y + titleBand)
        for (index, entry) in entries.enumerated() {
            let column = index / lines, line = index % lines  // down the columns, as a list reads
            legend.append(Label(text: entry, x: origin.x + Double(column) * columnWidth,
                                y: origin.y + Double(line) * lineHeight, alignX: 0, alignY: 0))
        }
        return Layout(mode: .indices, grid: grid, cellSize: cell, labelPixels: labelPixels, rowLabels: rowLabels,
                      columnLabels: columnLabels, rowTitle: rowTitle(grid: grid, f: f), columnTitle: columnTitle,
                      legend: legend, legendPixels: legendPixels, countPixels: countPixels(cell: cell, f: f))
    }

    /// The step between written numbers: 1, 2, 5 or 10 cells, the first that holds `extent`.
    static func labelStride(extent: Double, cell: Double) -> Int {
        [1, 2, 5, 10].first { Double($0) * cell >= extent } ?? 10
    }

    /// Whether number `index + 1` is written at `stride`: every one; every odd one (1, 3, 5);
    /// or 1 and the multiples of 5 or 10 (1, 5, 10: at least 4 cells apart).
    static func shows(_ index: Int, stride: Int) -> Bool {
        switch stride {
        case 1: true
        case 2: index % 2 == 0
        default: index == 0 || (index + 1) % stride == 0
        }
    }

    private func rowTitle(grid: Rect, f: Double) -> Label {
        Label(text: L10n.tr("true member"), x: f * 0.2, y: grid.midY, alignX: 0.5, alignY: 0, angle: -Double.pi / 2)
    }

    /// Counts fit when the widest one takes at most 85 % of a cell at a readable size (8 px or more).
    private func countPixels(cell: Double, f: Double) -> Double? {
        let digits = String(counts.flatMap { $0 }.max() ?? 0).count
        let pixels = min(f * 0.9, cell * 0.45)
        guard pixels >= 8, Double(digits) * 0.6 * pixels <= cell * 0.85 else { return nil }
        return pixels
    }
}
