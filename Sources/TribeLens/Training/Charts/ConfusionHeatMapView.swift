import CGtk
import Foundation

/// The results' confusion matrix as a heat map in a drawing area, named for assistive
/// technology (and the GUI tests) with `ConfusionHeatMap.summary`.
@MainActor
final class ConfusionHeatMapView {
    private let area: ChartDrawingArea
    var widget: Widget { area.widget }
    private(set) var map: ConfusionHeatMap

    init(map: ConfusionHeatMap = ConfusionHeatMap(matrix: [], names: [])) {
        self.map = map
        area = ChartDrawingArea(name: map.summary, description: "Confusion matrix", minimumWidth: 320, minimumHeight: 320)
        area.draw = { [weak self] cr, width, height, dark in
            guard let self else { return }
            ConfusionHeatMapPainter.paint(cr, self.map, width: width, height: height, dark: dark)
        }
        // Hovering a cell tells what it counts (with numbers instead of names, the only way to
        // read a cell without the legend).
        gtk_widget_set_has_tooltip(area.widget, 1)
        let box = Unmanaged.passRetained(HandlerBox<@MainActor (Double, Double) -> String?> { [weak self] x, y in
            self?.tooltip(x: x, y: y)
        } as AnyObject).toOpaque()
        let thunk: @convention(c) (gpointer?, Int32, Int32, gboolean, OpaquePointer?, gpointer?) -> gboolean = {
            _, x, y, _, tooltip, data in
            guard let tooltip, let data else { return 0 }
            let box = Unmanaged<AnyObject>.fromOpaque(data).takeUnretainedValue() as! HandlerBox<@MainActor (Double, Double) -> String?>
            return MainActor.assumeIsolated {
                guard let text = box.handler(Double(x), Double(y)) else { return 0 }
                gtk_tooltip_set_text(tooltip, text)
                return 1
            }
        }
        tl_signal_connect(area.widget, "query-tooltip", unsafeBitCast(thunk, to: GCallback.self), box) { data, _ in
            Unmanaged<AnyObject>.fromOpaque(data!).release()
        }
    }

    /// The text of the cell under (x, y) in widget coordinates, nil off the grid.
    func tooltip(x: Double, y: Double) -> String? {
        let layout = map.layout(width: Double(gtk_widget_get_width(widget)), height: Double(gtk_widget_get_height(widget)))
        guard let cell = layout.cellAt(x: x, y: y) else { return nil }
        let text = map.cellText(row: cell.row, column: cell.column)
        return text.isEmpty ? nil : text
    }

    /// Shows `map`: redraw and a new accessible name.
    func update(_ map: ConfusionHeatMap) {
        guard map != self.map else { return }
        self.map = map
        area.update(name: map.summary)
    }

    /// Writes `map` as a `width` x `height` PNG to `url` (atomically, off the GTK thread; light
    /// background unless `dark`) and calls `completion` on the GTK thread.
    static func exportPNG(_ map: ConfusionHeatMap, width: Int = 900, height: Int = 900, to url: URL, dark: Bool = false,
                          completion: @escaping @MainActor @Sendable (Result<URL, ExportError>) -> Void) {
        ChartPNGExport.run(width: width, height: height, to: url, draw: { cr, width, height in
            ConfusionHeatMapPainter.paint(cr, map, width: width, height: height, dark: dark, fillBackground: true,
                                          fontPixels: max(12, min(width, height) / 60))
        }, completion: completion)
    }
}
