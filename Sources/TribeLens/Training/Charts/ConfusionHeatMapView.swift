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
