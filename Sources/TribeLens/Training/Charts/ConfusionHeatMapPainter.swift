import CGtk
import Foundation

/// Draws a `ConfusionHeatMap` with cairo and Pango: cells coloured by their row share, counts in
/// the cells when they fit, the diagonal outlined, member names (or numbers and a legend) along
/// the edges. Used by the widget and, on a background queue, by the PNG export.
enum ConfusionHeatMapPainter {
    static func paint(_ cr: OpaquePointer, _ map: ConfusionHeatMap, width: Double, height: Double, dark: Bool,
                      fillBackground: Bool = false, fontPixels f: Double = 12) {
        let palette = ChartPalette.forBackground(dark: dark)
        cairo_save(cr)
        defer { cairo_restore(cr) }
        if fillBackground {
            palette.background.setSource(cr)
            cairo_paint(cr)
        }
        guard map.count > 0 else {
            ChartText.draw(cr, L10n.tr("No test faces"), x: width / 2, y: height / 2, pixels: f, color: palette.text,
                           alignX: 0.5, alignY: 0.5)
            return
        }
        let layout = map.layout(width: width, height: height, fontPixels: f)
        let shares = map.shares
        for row in 0..<map.count {
            for column in 0..<map.count {
                let rect = layout.cell(row: row, column: column)
                let color = ConfusionHeatMap.color(share: shares[row][column], dark: dark)
                color.setSource(cr)
                cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                cairo_fill(cr)
                if let pixels = layout.countPixels, map.counts[row][column] > 0 {
                    ChartText.draw(cr, "\(map.counts[row][column])", x: rect.midX, y: rect.midY, pixels: pixels,
                                   color: ConfusionHeatMap.textColor(on: color), alignX: 0.5, alignY: 0.5)
                }
            }
        }
        // Thin separators (in the background colour) once cells are big enough to need them.
        if layout.cellSize >= 6 {
            palette.background.setSource(cr)
            cairo_set_line_width(cr, 1)
            for index in 1..<max(map.count, 1) {
                let offset = Double(index) * layout.cellSize
                cairo_move_to(cr, layout.grid.x + offset, layout.grid.y); cairo_line_to(cr, layout.grid.x + offset, layout.grid.maxY)
                cairo_move_to(cr, layout.grid.x, layout.grid.y + offset); cairo_line_to(cr, layout.grid.maxX, layout.grid.y + offset)
            }
            cairo_stroke(cr)
        }
        // The diagonal (correct answers) outlined, so it reads without colour too.
        palette.text.setSource(cr, alpha: 0.55)
        cairo_set_line_width(cr, 1)
        for index in 0..<map.count {
            let rect = layout.cell(row: index, column: index)
            cairo_rectangle(cr, rect.x + 0.5, rect.y + 0.5, max(0, rect.width - 1), max(0, rect.height - 1))
        }
        cairo_stroke(cr)

        for label in layout.rowLabels + layout.columnLabels {
            draw(cr, label, pixels: layout.labelPixels, color: palette.text)
        }
        for title in [layout.rowTitle, layout.columnTitle] {
            draw(cr, title, pixels: f * 0.9, color: palette.text, alpha: 0.75)
        }
        for entry in layout.legend {
            draw(cr, entry, pixels: layout.legendPixels, color: palette.text)
        }
    }

    private static func draw(_ cr: OpaquePointer, _ label: ConfusionHeatMap.Label, pixels: Double, color: ChartColor,
                             alpha: Double = 1) {
        ChartText.draw(cr, label.text, x: label.x, y: label.y, pixels: pixels, color: color, alpha: alpha,
                       alignX: label.alignX, alignY: label.alignY, angle: label.angle)
    }
}
