import CGtk
import FaceKit
import Foundation

/// The live training curves in the training panel: a drawing area showing a `TrainingCurves`,
/// named for assistive technology (and the GUI tests) with `TrainingCurves.summary`.
@MainActor
final class TrainingCurvesView {
    private let area: ChartDrawingArea
    var widget: Widget { area.widget }
    private(set) var curves: TrainingCurves

    init(curves: TrainingCurves = TrainingCurves(plannedEpochs: 0)) {
        self.curves = curves
        area = ChartDrawingArea(name: curves.summary, description: "Training curves", minimumWidth: 480, minimumHeight: 220)
        area.draw = { [weak self] cr, width, height, dark in
            guard let self else { return }
            TrainingCurvesPainter.paint(cr, self.curves, width: width, height: height, dark: dark)
        }
    }

    /// Shows `curves` (e.g. after each `TrainingEvent`): redraw and a new accessible name.
    func update(_ curves: TrainingCurves) {
        guard curves != self.curves else { return }
        self.curves = curves
        area.update(name: curves.summary)
    }

    /// Folds a training event in (batches cost nothing: the curves only change per epoch).
    func apply(_ event: TrainingEvent) {
        var next = curves
        next.apply(event)
        update(next)
    }

    /// Marks how the run ended (early stopping, the epoch whose weights were kept).
    func finish(_ stop: TrainingStop, weightsEpoch: Int?) {
        var next = curves
        next.finish(stop, weightsEpoch: weightsEpoch)
        update(next)
    }

    /// Writes `curves` as a `width` x `height` PNG to `url` (atomically, off the GTK thread;
    /// light background, as for documents) and calls `completion` on the GTK thread.
    static func exportPNG(_ curves: TrainingCurves, width: Int = 1200, height: Int = 480, to url: URL,
                          dark: Bool = false,
                          completion: @escaping @MainActor @Sendable (Result<URL, ExportError>) -> Void) {
        ChartPNGExport.run(width: width, height: height, to: url, draw: { cr, width, height in
            TrainingCurvesPainter.paint(cr, curves, width: width, height: height, dark: dark, fillBackground: true,
                                        fontPixels: exportFontPixels(width: width, height: height))
        }, completion: completion)
    }

    /// Text in proportion to the picture: 12 px at window sizes, larger for big exports.
    nonisolated static func exportFontPixels(width: Double, height: Double) -> Double {
        max(12, min(width / 2, height) / 40)
    }
}
