import FaceKit
import Foundation

/// What the training curves show: the Keras-like history so far, the planned epoch count and the
/// schedule's events (learning-rate reductions, early stopping, the epoch whose weights were
/// kept). A plain value: the training panel feeds it `TrainingEvent`s, `TrainingCurvesView` draws
/// it, and `layout(width:height:)` does all the maths (data to pixels, ticks, markers, legend)
/// without GTK, so tests can check it.
struct TrainingCurves: Sendable, Equatable {
    /// ReduceLROnPlateau fired after `epoch` (1-based): epoch + 1 trains with `to`.
    struct LearningRateChange: Sendable, Equatable {
        var epoch: Int
        var from: Double
        var to: Double
    }

    /// The four series, named as Keras names them.
    enum Metric: String, Sendable, CaseIterable {
        case accuracy, valAccuracy = "val_accuracy", loss, valLoss = "val_loss"

        var name: String { rawValue }
        var isValidation: Bool { self == .valAccuracy || self == .valLoss }
        var isLoss: Bool { self == .loss || self == .valLoss }

        func value(in record: EpochRecord) -> Double? {
            switch self {
            case .accuracy: record.accuracy
            case .valAccuracy: record.valAccuracy
            case .loss: record.loss
            case .valLoss: record.valLoss
            }
        }
    }

    var history: [EpochRecord]
    var plannedEpochs: Int
    var learningRateChanges: [LearningRateChange]
    /// EarlyStopping fired after this epoch.
    var earlyStopEpoch: Int?
    /// The epoch whose weights the model holds (the best one when restored).
    var keptEpoch: Int?

    init(plannedEpochs: Int, history: [EpochRecord] = [], learningRateChanges: [LearningRateChange] = [],
         earlyStopEpoch: Int? = nil, keptEpoch: Int? = nil) {
        self.plannedEpochs = max(0, plannedEpochs)
        self.history = history.sorted { $0.epoch < $1.epoch }
        self.learningRateChanges = learningRateChanges
        self.earlyStopEpoch = earlyStopEpoch
        self.keptEpoch = keptEpoch
    }

    /// Folds one event of a running `TrainingSession` in (batches change nothing here).
    mutating func apply(_ event: TrainingEvent) {
        switch event {
        case .epochStarted(_, let of, _):
            plannedEpochs = max(0, of)
        case .batch:
            break
        case .epochEnded(let record):
            history.removeAll { $0.epoch == record.epoch }
            history.append(record)
            history.sort { $0.epoch < $1.epoch }
        case .learningRateReduced(let epoch, let from, let to):
            let change = LearningRateChange(epoch: epoch, from: from, to: to)
            if !learningRateChanges.contains(change) { learningRateChanges.append(change) }
        }
    }

    /// How the run ended: marks early stopping and the epoch whose weights were kept.
    mutating func finish(_ stop: TrainingStop, weightsEpoch: Int?) {
        if case .earlyStopped(let epoch) = stop { earlyStopEpoch = epoch }
        keptEpoch = weightsEpoch
    }

    /// The x axis runs over epochs 1...lastEpoch: the planned ones, or more if more were done.
    var lastEpoch: Int { max(1, plannedEpochs, history.last?.epoch ?? 0) }

    // MARK: - Accessible summary

    /// One line for assistive technology and the GUI tests, e.g.
    /// "Training curves: epoch 3 of 10, accuracy 0.81, val_accuracy 0.62, loss 0.523, val_loss 0.981;
    /// learning rate reduced after epoch 2 (to 0.005); early stopping after epoch 3; weights from epoch 2".
    /// Accuracies with 2 decimals, losses with 3 significant digits; absent parts are left out.
    var summary: String {
        guard let last = history.last else {
            return plannedEpochs > 0
                ? L10n.format(L10n.plural("Training curves: no epochs yet (%d planned)", "Training curves: no epochs yet (%d planned)", plannedEpochs), plannedEpochs)
                : L10n.tr("Training curves: no epochs yet")
        }
        var values: [String] = []
        for metric in Metric.allCases {
            guard let value = metric.value(in: last) else { continue }
            values.append("\(metric.name) " + (metric.isLoss ? Self.format(loss: value) : String(format: "%.2f", value)))
        }
        var text = L10n.format(L10n.tr("Training curves: epoch %1$d of %2$d"), last.epoch, max(plannedEpochs, last.epoch))
        if !values.isEmpty { text += ", " + values.joined(separator: ", ") }
        var events: [String] = []
        if let newest = learningRateChanges.max(by: { $0.epoch < $1.epoch }) {
            let epochs = learningRateChanges.map(\.epoch).sorted().map(String.init)
            events.append(L10n.format(L10n.plural("learning rate reduced after epoch %1$s (to %2$s)",
                                                  "learning rate reduced after epochs %1$s (to %2$s)", epochs.count),
                                      epochs.joined(separator: ", "), Self.format(rate: newest.to)))
        }
        if let earlyStopEpoch { events.append(L10n.format(L10n.tr("early stopping after epoch %d"), earlyStopEpoch)) }
        if let keptEpoch { events.append(L10n.format(L10n.tr("weights from epoch %d"), keptEpoch)) }
        if !events.isEmpty { text += "; " + events.joined(separator: "; ") }
        return text
    }

    static func format(loss: Double) -> String { String(format: "%.3g", loss) }
    static func format(rate: Double) -> String { String(format: "%.3g", rate) }

    // MARK: - Layout

    struct Rect: Sendable, Equatable {
        var x: Double, y: Double, width: Double, height: Double
        var maxX: Double { x + width }
        var maxY: Double { y + height }
    }

    /// A data point placed on a panel. `clipped`: the value lies outside the panel's y range and
    /// is drawn on its edge (e.g. a huge first-epoch loss), marked as such.
    struct Point: Sendable, Equatable {
        var epoch: Int
        var value: Double
        var x: Double
        var y: Double
        var clipped: Bool
    }

    /// One series; `runs` are the stretches drawn as one polyline. A missing or non-finite value
    /// (or a gap in the epochs) ends a run, so no line is drawn through it.
    struct Line: Sendable, Equatable {
        var metric: Metric
        var runs: [[Point]]
        var points: [Point] { runs.flatMap { $0 } }
    }

    struct Marker: Sendable, Equatable {
        enum Kind: Sendable, Equatable { case learningRate, earlyStop }
        var kind: Kind
        /// Position in epochs: a reduction after epoch n sits between n and n + 1; early stopping at n.
        var epoch: Double
        var x: Double
        var label: String
        /// Label line (0 at the top of the plot), so close markers' labels do not overlap.
        var row = 0
        /// The label ends at the marker instead of starting there (near the panel's right edge).
        var labelLeft = false
    }

    struct LegendEntry: Sendable, Equatable {
        var metric: Metric
        var label: String
        var dashed: Bool
    }

    /// One chart: accuracy (0...1) or loss (range from the data).
    struct Panel: Sendable, Equatable {
        enum Kind: Sendable, Equatable { case accuracy, loss }
        var kind: Kind
        var title: String
        /// The whole panel, labels included.
        var frame: Rect
        /// The area inside the axes.
        var plot: Rect
        var x: ChartScale
        var y: ChartScale
        var xTicks: [Int]
        var yTicks: [Double]
        /// Decimal places for the y tick labels.
        var yDecimals: Int
        var lines: [Line]
        var markers: [Marker]
        /// Dots on the kept epoch (the validation value, else the training one).
        var kept: [Point]
        var legend: [LegendEntry]
        /// Values above this were clipped to the top edge (loss panel only).
        var clipLimit: Double?

        func pixel(epoch: Double, value: Double) -> (x: Double, y: Double) { (x.pixel(epoch), y.pixel(value)) }
        func line(_ metric: Metric) -> Line? { lines.first { $0.metric == metric } }
    }

    struct Layout: Sendable, Equatable {
        /// Side by side when the area is wide, else stacked (accuracy on top).
        var sideBySide: Bool
        var accuracy: Panel
        var loss: Panel
        var panels: [Panel] { [accuracy, loss] }
    }

    /// Everything needed to draw the curves at `width` x `height` pixels with text `fontPixels` high.
    func layout(width: Double, height: Double, fontPixels: Double = 12) -> Layout {
        let width = max(width, 1), height = max(height, 1)
        let sideBySide = width >= height * 1.5
        let gap = fontPixels
        let frames: [Rect]
        if sideBySide {
            let panelWidth = max(1, (width - gap) / 2)
            frames = [Rect(x: 0, y: 0, width: panelWidth, height: height),
                      Rect(x: panelWidth + gap, y: 0, width: panelWidth, height: height)]
        } else {
            let panelHeight = max(1, (height - gap) / 2)
            frames = [Rect(x: 0, y: 0, width: width, height: panelHeight),
                      Rect(x: 0, y: panelHeight + gap, width: width, height: panelHeight)]
        }
        return Layout(sideBySide: sideBySide,
                      accuracy: panel(.accuracy, frame: frames[0], fontPixels: fontPixels),
                      loss: panel(.loss, frame: frames[1], fontPixels: fontPixels))
    }

    private func panel(_ kind: Panel.Kind, frame: Rect, fontPixels f: Double) -> Panel {
        // Room for the title and legend above, tick labels left and below, the "epoch" caption.
        let left = f * 3.6, right = f * 1.2, top = f * 2.4, bottom = f * 3.0
        let plot = Rect(x: frame.x + left, y: frame.y + top,
                        width: max(1, frame.width - left - right), height: max(1, frame.height - top - bottom))
        let metrics: [Metric] = kind == .accuracy ? [.accuracy, .valAccuracy] : [.loss, .valLoss]

        // x: epochs 1...last; a single epoch sits in the middle.
        let last = lastEpoch
        let x = ChartScale(lower: last == 1 ? 0.5 : 1, upper: last == 1 ? 1.5 : Double(last),
                           start: plot.x, end: plot.maxX)
        let xTicks = Self.epochTicks(last: last, maxTicks: max(2, Int(plot.width / (f * 3.2))))

        // y: accuracy is always 0...1; loss from the finite values, a far outlier clipped.
        let maxYTicks = min(8, max(2, Int(plot.height / (f * 2.2))))
        var lower = 0.0, upper = 1.0
        var clipLimit: Double?
        if kind == .loss {
            let values = history.flatMap { record in metrics.compactMap { $0.value(in: record) } }.filter(\.isFinite)
            if let low = values.min(), var high = values.max() {
                if let limit = Self.outlierLimit(values), high > limit { high = limit; clipLimit = limit }
                lower = low >= 0 && low <= high * 0.5 ? 0 : low  // start at zero when that costs little room
                upper = high
            }
        }
        let nice = ChartScale.nice(lower, upper, maxTicks: kind == .accuracy ? min(maxYTicks, 6) : maxYTicks)
        let y = ChartScale(lower: nice.lower, upper: nice.upper, start: plot.maxY, end: plot.y)
        let yTicks = ChartScale.ticks(lower: nice.lower, upper: nice.upper, step: nice.step)

        let lines = metrics.map { metric in
            Line(metric: metric, runs: runs(metric, x: x, y: y))
        }
        var kept: [Point] = []
        if let keptEpoch, let record = history.first(where: { $0.epoch == keptEpoch }) {
            for metric in [metrics[1], metrics[0]] {
                if let value = metric.value(in: record), value.isFinite {
                    kept.append(place(epoch: keptEpoch, value: value, x: x, y: y))
                    break
                }
            }
        }
        let hasValidation = history.isEmpty || history.contains { metrics[1].value(in: $0) != nil }
        let legend = metrics.filter { !$0.isValidation || hasValidation }
            .map { LegendEntry(metric: $0, label: $0.name, dashed: $0.isValidation) }
        return Panel(kind: kind, title: kind == .accuracy ? L10n.tr("Accuracy") : L10n.tr("Loss"), frame: frame, plot: plot, x: x, y: y,
                     xTicks: xTicks, yTicks: yTicks, yDecimals: ChartScale.decimals(for: nice.step),
                     lines: lines, markers: markers(x: x, rightEdge: frame.maxX, fontPixels: f), kept: kept, legend: legend,
                     clipLimit: clipLimit)
    }

    private func place(epoch: Int, value: Double, x: ChartScale, y: ChartScale) -> Point {
        let shown = min(max(value, y.lower), y.upper)
        return Point(epoch: epoch, value: value, x: x.pixel(Double(epoch)), y: y.pixel(shown), clipped: shown != value)
    }

    private func runs(_ metric: Metric, x: ChartScale, y: ChartScale) -> [[Point]] {
        var runs: [[Point]] = []
        var current: [Point] = []
        var previousEpoch: Int?
        for record in history {
            guard let value = metric.value(in: record), value.isFinite else {
                if !current.isEmpty { runs.append(current); current = [] }
                previousEpoch = nil
                continue
            }
            if let previousEpoch, record.epoch != previousEpoch + 1, !current.isEmpty {
                runs.append(current); current = []
            }
            current.append(place(epoch: record.epoch, value: value, x: x, y: y))
            previousEpoch = record.epoch
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private func markers(x: ChartScale, rightEdge: Double, fontPixels f: Double) -> [Marker] {
        var markers = learningRateChanges.map { change in
            let epoch = min(max(Double(change.epoch) + 0.5, x.lower), x.upper)
            return Marker(kind: .learningRate, epoch: epoch, x: x.pixel(epoch),
                          label: "lr \(Self.format(rate: change.to))")
        }
        if let earlyStopEpoch {
            let epoch = min(max(Double(earlyStopEpoch), x.lower), x.upper)
            markers.append(Marker(kind: .earlyStop, epoch: epoch, x: x.pixel(epoch), label: L10n.tr("early stop")))
        }
        markers.sort { $0.x < $1.x }
        // Labels run right from the marker, or left of it when they would leave the panel; a label
        // that would touch another in the same row moves down a row. Widths are estimated for the
        // small label font (0.8 em) at about 0.55 em per character.
        var rows: [[ClosedRange<Double>]] = []
        for index in markers.indices {
            let width = Double(markers[index].label.count) * f * 0.8 * 0.55
            let leftward = markers[index].x + f * 0.25 + width > rightEdge
            markers[index].labelLeft = leftward
            let start = leftward ? markers[index].x - f * 0.25 - width : markers[index].x + f * 0.25
            let span = (start - f * 0.15)...(start + width + f * 0.15)
            let row = rows.firstIndex { $0.allSatisfy { !$0.overlaps(span) } } ?? rows.count
            if row == rows.count { rows.append([span]) } else { rows[row].append(span) }
            markers[index].row = row
        }
        return markers
    }

    /// Integer epoch ticks: every 1 or 2 epochs from 1 when there are few, else 1 and the
    /// multiples of a nice step (1, 5, 10, 15 ...).
    static func epochTicks(last: Int, maxTicks: Int) -> [Int] {
        guard last > 1 else { return [1] }
        let step = max(1, Int(ChartScale.niceStep(atLeast: Double(last - 1) / Double(max(1, maxTicks - 1))).rounded()))
        if step <= 2 { return Array(stride(from: 1, through: last, by: step)) }
        return [1] + Array(stride(from: step, through: last, by: step))
    }

    /// Above this, a loss is an outlier that would squash the rest of the curve (typically the
    /// first epoch of a fresh network): three interquartile ranges above the upper quartile, and at
    /// least 1.5 times that quartile so a flat curve's noise is never clipped. nil with fewer than
    /// 4 values (too few to call anything an outlier).
    static func outlierLimit(_ values: [Double]) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard sorted.count >= 4 else { return nil }
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
            return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
        }
        let q1 = quantile(0.25), q3 = quantile(0.75)
        return max(q3 + 3 * (q3 - q1), q3 + abs(q3) * 0.5)
    }
}
