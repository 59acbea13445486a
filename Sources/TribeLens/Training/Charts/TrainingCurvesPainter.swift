import CGtk
import Foundation

/// Draws `TrainingCurves` with cairo and Pango: two panels (accuracy, loss), training values as
/// solid lines, validation values dashed, learning-rate reductions and early stopping as dashed
/// vertical markers with small labels, a ring on the kept epoch. Used by the widget and, on a
/// background queue, by the PNG export, so both show the same picture.
enum TrainingCurvesPainter {
    /// Line width of the series; the dots on each epoch are a bit wider than it.
    static let lineWidth = 2.0
    static let dotRadius = 3.0

    /// Paints `curves` into `cr` over `width` x `height` user units. `fillBackground`: paint the
    /// palette's background first (the export does; the widget shows the window's own).
    static func paint(_ cr: OpaquePointer, _ curves: TrainingCurves, width: Double, height: Double, dark: Bool,
                      fillBackground: Bool = false, fontPixels: Double = 12) {
        let palette = ChartPalette.forBackground(dark: dark)
        if fillBackground {
            palette.background.setSource(cr)
            cairo_paint(cr)
        }
        let layout = curves.layout(width: width, height: height, fontPixels: fontPixels)
        for panel in layout.panels { paint(cr, panel, palette: palette, fontPixels: fontPixels) }
    }

    private static func paint(_ cr: OpaquePointer, _ panel: TrainingCurves.Panel, palette: ChartPalette, fontPixels f: Double) {
        let plot = panel.plot
        cairo_save(cr)
        defer { cairo_restore(cr) }
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)

        // Title, then the legend right-aligned on the same line; in a narrow panel only the legend
        // (its names say which panel it is).
        let legendWidth = panel.legend.reduce(0) { $0 + ChartText.size(cr, $1.label, pixels: f * 0.9).width + f * 2.85 }
        let titleWidth = ChartText.size(cr, panel.title, pixels: f * 1.1, bold: true).width
        if titleWidth + f + legendWidth <= plot.width {
            ChartText.draw(cr, panel.title, x: plot.x, y: panel.frame.y + f * 0.3, pixels: f * 1.1, color: palette.text, bold: true)
        }
        var legendX = plot.maxX
        for entry in panel.legend.reversed() {
            let size = ChartText.draw(cr, entry.label, x: legendX, y: panel.frame.y + f * 0.45, pixels: f * 0.9,
                                      color: palette.text, alignX: 1)
            let sampleEnd = legendX - size.width - f * 0.35, sampleStart = sampleEnd - f * 1.6
            let sampleY = panel.frame.y + f * 0.45 + size.height / 2
            stroke(cr, [(sampleStart, sampleY), (sampleEnd, sampleY)], color: palette.color(entry.metric), dashed: entry.dashed)
            legendX = sampleStart - f * 0.9
        }

        // Grid and y tick labels.
        cairo_set_line_width(cr, 1)
        for tick in panel.yTicks {
            let y = (panel.y.pixel(tick)).rounded() + 0.5  // on a pixel row: crisp 1 px lines
            palette.grid.setSource(cr)
            cairo_move_to(cr, plot.x, y); cairo_line_to(cr, plot.maxX, y); cairo_stroke(cr)
            ChartText.draw(cr, String(format: "%.\(panel.yDecimals)f", tick), x: plot.x - f * 0.4, y: y,
                           pixels: f * 0.85, color: palette.text, alpha: 0.8, alignX: 1, alignY: 0.5)
        }
        // Axes and x tick labels, the caption under them.
        palette.text.setSource(cr, alpha: 0.6)
        let axisX = plot.x.rounded() + 0.5, axisY = plot.maxY.rounded() + 0.5
        cairo_move_to(cr, axisX, plot.y); cairo_line_to(cr, axisX, axisY); cairo_line_to(cr, plot.maxX, axisY)
        cairo_stroke(cr)
        for tick in panel.xTicks {
            let x = panel.x.pixel(Double(tick))
            palette.text.setSource(cr, alpha: 0.6)
            cairo_move_to(cr, x, axisY); cairo_line_to(cr, x, axisY + f * 0.3); cairo_stroke(cr)
            ChartText.draw(cr, "\(tick)", x: x, y: axisY + f * 0.4, pixels: f * 0.85, color: palette.text, alpha: 0.8,
                           alignX: 0.5)
        }
        ChartText.draw(cr, L10n.tr("epoch"), x: plot.x + plot.width / 2, y: plot.maxY + f * 1.65, pixels: f * 0.85,
                       color: palette.text, alpha: 0.8, alignX: 0.5)

        // Markers behind the curves.
        for marker in panel.markers {
            let color = marker.kind == .earlyStop ? palette.earlyStop : palette.text
            let x = marker.x.rounded() + 0.5
            cairo_set_line_width(cr, 1)
            color.setSource(cr, alpha: marker.kind == .earlyStop ? 0.9 : 0.55)
            var dash: [Double] = [4, 3]
            cairo_set_dash(cr, &dash, 2, 0)
            cairo_move_to(cr, x, plot.y); cairo_line_to(cr, x, plot.maxY); cairo_stroke(cr)
            cairo_set_dash(cr, nil, 0, 0)
        }

        // The series, clipped to the plot (plus room for the dots), validation under training.
        cairo_save(cr)
        cairo_rectangle(cr, plot.x - dotRadius * 2, plot.y - dotRadius * 2, plot.width + dotRadius * 4, plot.height + dotRadius * 4)
        cairo_clip(cr)
        let count = max(1, panel.lines.map { $0.points.count }.max() ?? 1)
        let showDots = plot.width / Double(count) >= 8
        for line in panel.lines.sorted(by: { $0.metric.isValidation && !$1.metric.isValidation }) {
            let color = palette.color(line.metric)
            for run in line.runs {
                if run.count > 1 { stroke(cr, run.map { ($0.x, $0.y) }, color: color, dashed: line.metric.isValidation) }
                for point in run where showDots || run.count == 1 || point.clipped {
                    if point.clipped {
                        clippedMark(cr, point, color: color, palette: palette, fontPixels: f)
                    } else {
                        color.setSource(cr)
                        cairo_arc(cr, point.x, point.y, dotRadius, 0, 2 * Double.pi)
                        cairo_fill(cr)
                    }
                }
            }
        }
        cairo_restore(cr)

        // Marker labels over the curves, on a veil of the background so both stay readable.
        for marker in panel.markers {
            let color = marker.kind == .earlyStop ? palette.earlyStop : palette.text
            let size = ChartText.size(cr, marker.label, pixels: f * 0.8)
            let x = marker.labelLeft ? marker.x.rounded() + 0.5 - f * 0.25 - size.width : marker.x.rounded() + 0.5 + f * 0.25
            let y = plot.y + f * 0.15 + Double(marker.row) * f * 1.1
            palette.background.setSource(cr, alpha: 0.75)
            cairo_rectangle(cr, x - 1, y, size.width + 2, size.height)
            cairo_fill(cr)
            ChartText.draw(cr, marker.label, x: x, y: y, pixels: f * 0.8, color: color)
        }

        // The kept epoch: a ring in the text colour around the point.
        for point in panel.kept {
            cairo_set_line_width(cr, 1.5)
            palette.text.setSource(cr)
            cairo_new_sub_path(cr)
            cairo_arc(cr, point.x, point.y, dotRadius * 2.2, 0, 2 * Double.pi)
            cairo_stroke(cr)
        }
    }

    /// A value beyond the panel's range: a small triangle on the edge pointing out, and its value.
    private static func clippedMark(_ cr: OpaquePointer, _ point: TrainingCurves.Point, color: ChartColor,
                                    palette: ChartPalette, fontPixels f: Double) {
        let size = dotRadius * 1.6
        let up = point.value > 0  // above the top (losses are only clipped upwards; accuracy below 0 goes down)
        color.setSource(cr)
        cairo_move_to(cr, point.x, point.y + (up ? -size : size))
        cairo_line_to(cr, point.x - size, point.y + (up ? size * 0.6 : -size * 0.6))
        cairo_line_to(cr, point.x + size, point.y + (up ? size * 0.6 : -size * 0.6))
        cairo_close_path(cr)
        cairo_fill(cr)
        ChartText.draw(cr, TrainingCurves.format(loss: point.value), x: point.x + size + 2, y: point.y + (up ? 1 : -1),
                       pixels: f * 0.75, color: palette.text, alpha: 0.8, alignY: up ? 0 : 1)
    }

    private static func stroke(_ cr: OpaquePointer, _ points: [(Double, Double)], color: ChartColor, dashed: Bool) {
        guard let first = points.first else { return }
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        if dashed {
            var dash: [Double] = [6, 4]
            cairo_set_dash(cr, &dash, 2, 0)
        }
        color.setSource(cr)
        cairo_move_to(cr, first.0, first.1)
        for point in points.dropFirst() { cairo_line_to(cr, point.0, point.1) }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }
}
