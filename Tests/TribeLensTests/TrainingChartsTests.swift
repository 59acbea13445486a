import CGtk
import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// The training panel's charts: the curves' layout maths against hand-computed pixels, nice
/// ticks, gaps for missing values, clipping of a huge first loss, markers; the heat map's shares,
/// colour ramp and layout; rendered pixels; the atomic PNG export.
final class TrainingChartsTests: XCTestCase {
    static func record(_ epoch: Int, loss: Double, accuracy: Double, valLoss: Double?, valAccuracy: Double?,
                       lr: Double = 0.01) -> EpochRecord {
        EpochRecord(epoch: epoch, loss: loss, accuracy: accuracy, valLoss: valLoss, valAccuracy: valAccuracy, lr: lr, seconds: 1)
    }

    /// 4 epochs of 11; accuracy 0.25, 0.5, 0.75, 0.8 (validation lower), loss falling.
    static let curves = TrainingCurves(plannedEpochs: 11, history: [
        record(1, loss: 2.0, accuracy: 0.25, valLoss: 2.2, valAccuracy: 0.1),
        record(2, loss: 1.5, accuracy: 0.5, valLoss: 1.8, valAccuracy: 0.2),
        record(3, loss: 1.2, accuracy: 0.75, valLoss: 1.6, valAccuracy: 0.3),
        record(4, loss: 1.0, accuracy: 0.8, valLoss: 1.7, valAccuracy: 0.35),
    ])

    /// A whole run: 30 planned, a fresh network's huge first loss, two reductions, early stopping
    /// after 24 with the weights of epoch 19 kept, one epoch without validation.
    static let fullRun: TrainingCurves = {
        var history: [EpochRecord] = []
        for epoch in 1...24 {
            let t = Double(epoch)
            let accuracy = 0.95 - 0.8 * exp(-t / 5), valAccuracy = 0.78 - 0.65 * exp(-t / 4) - max(0, t - 19) * 0.004
            let loss = epoch == 1 ? 31.0 : 0.15 + 2.4 * exp(-t / 5), valLoss = 0.75 + 2.2 * exp(-t / 4) + max(0, t - 19) * 0.03
            history.append(record(epoch, loss: loss, accuracy: accuracy, valLoss: epoch == 8 ? nil : valLoss,
                                  valAccuracy: epoch == 8 ? nil : valAccuracy))
        }
        return TrainingCurves(plannedEpochs: 30, history: history,
                              learningRateChanges: [.init(epoch: 12, from: 0.01, to: 0.005), .init(epoch: 18, from: 0.005, to: 0.0025)],
                              earlyStopEpoch: 24, keptEpoch: 19)
    }()

    // MARK: Scales and ticks

    func testNiceStepsAreTheSmallestOneTwoFiveTimesAPowerOfTen() {
        // Reference: every {1, 2, 5} x 10^k for k in -6...6, the smallest one >= raw.
        let candidates = (-6...6).flatMap { k in [1.0, 2, 5].map { $0 * pow(10, Double(k)) } }.sorted()
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let raw = pow(10, generator.next(in: -5...5))
            let expected = candidates.first { $0 >= raw * (1 - 1e-12) }!
            XCTAssertEqual(ChartScale.niceStep(atLeast: raw), expected, accuracy: expected * 1e-9, "raw \(raw)")
        }
        XCTAssertEqual(ChartScale.niceStep(atLeast: 0.3), 0.5)
        XCTAssertEqual(ChartScale.niceStep(atLeast: 2), 2)
        XCTAssertEqual(ChartScale.niceStep(atLeast: 2.01), 5)
    }

    func testNiceRangesCoverTheDataWithEvenOneTwoFiveSteps() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<500 {
            let a = generator.next(in: -50...50) * pow(10, generator.next(in: -3...2).rounded())
            let b = a + abs(generator.next(in: 0...10)) * pow(10, generator.next(in: -3...2).rounded())
            let maxTicks = Int(generator.next(in: 2...9))
            let nice = ChartScale.nice(a, b, maxTicks: maxTicks)
            XCTAssertLessThanOrEqual(nice.lower, a); XCTAssertGreaterThanOrEqual(nice.upper, b)
            let ticks = ChartScale.ticks(lower: nice.lower, upper: nice.upper, step: nice.step)
            XCTAssertGreaterThanOrEqual(ticks.count, 2); XCTAssertLessThanOrEqual(ticks.count, max(maxTicks, 3))
            XCTAssertEqual(ticks.first!, nice.lower, accuracy: nice.step * 1e-6)
            XCTAssertEqual(ticks.last!, nice.upper, accuracy: nice.step * 1e-6)
            for (p, q) in zip(ticks, ticks.dropFirst()) { XCTAssertEqual(q - p, nice.step, accuracy: nice.step * 1e-6) }
            let mantissa = nice.step / pow(10, floor(log10(nice.step)))
            XCTAssertTrue([1, 2, 5].contains { abs(mantissa - $0) < 1e-6 }, "step \(nice.step)")
        }
        // Labels without binary noise: 0.1 steps are 0.3, not 0.30000000000000004.
        XCTAssertEqual(ChartScale.ticks(lower: 0, upper: 0.5, step: 0.1), [0, 0.1, 0.2, 0.3, 0.4, 0.5])
        XCTAssertEqual(ChartScale.ticks(lower: -0.2, upper: 0.2, step: 0.2).map { $0.sign }, [.minus, .plus, .plus])
        XCTAssertEqual(ChartScale.decimals(for: 0.05), 2); XCTAssertEqual(ChartScale.decimals(for: 5), 0)
        // A single value still gets a range with ticks around it.
        let single = ChartScale.nice(2.3, 2.3, maxTicks: 5)
        XCTAssertLessThan(single.lower, 2.3); XCTAssertGreaterThan(single.upper, 2.3)
    }

    func testEpochTicksAreWholeEpochsFromOne() {
        XCTAssertEqual(TrainingCurves.epochTicks(last: 5, maxTicks: 10), [1, 2, 3, 4, 5])
        XCTAssertEqual(TrainingCurves.epochTicks(last: 50, maxTicks: 10), [1, 10, 20, 30, 40, 50])
        XCTAssertEqual(TrainingCurves.epochTicks(last: 9, maxTicks: 5), [1, 3, 5, 7, 9])
        XCTAssertEqual(TrainingCurves.epochTicks(last: 1, maxTicks: 5), [1])
    }

    // MARK: Curves layout

    func testDataMapsToHandComputedPixels() throws {
        let layout = Self.curves.layout(width: 600, height: 300, fontPixels: 12)
        XCTAssertTrue(layout.sideBySide)
        // Panels (600 - 12) / 2 = 294 wide; plot inset 43.2 left, 14.4 right, 28.8 top, 36 bottom.
        let accuracy = layout.accuracy
        XCTAssertEqual(accuracy.plot.x, 43.2, accuracy: 1e-9); XCTAssertEqual(accuracy.plot.width, 236.4, accuracy: 1e-9)
        XCTAssertEqual(accuracy.plot.y, 28.8, accuracy: 1e-9); XCTAssertEqual(accuracy.plot.height, 235.2, accuracy: 1e-9)
        XCTAssertEqual(accuracy.yTicks, [0, 0.2, 0.4, 0.6, 0.8, 1])
        // Epoch 3 of 1...11 is 2/10 across; accuracy 0.75 is 3/4 up from the bottom at 264.
        let point = try XCTUnwrap(accuracy.line(.accuracy)?.points.first { $0.epoch == 3 })
        XCTAssertEqual(point.x, 43.2 + 0.2 * 236.4, accuracy: 1e-9)
        XCTAssertEqual(point.y, 264 - 0.75 * 235.2, accuracy: 1e-9)
        XCTAssertFalse(point.clipped)
        // Loss 1.0...2.2 starts at zero (cheap) and rounds up to 2.5 in steps of 0.5.
        let loss = layout.loss
        XCTAssertEqual(loss.plot.x, 306 + 43.2, accuracy: 1e-9)
        XCTAssertEqual(loss.yTicks, [0, 0.5, 1, 1.5, 2, 2.5])
        XCTAssertEqual(loss.yDecimals, 1)
        let valLoss = try XCTUnwrap(loss.line(.valLoss)?.points.last)
        XCTAssertEqual(valLoss.epoch, 4)
        XCTAssertEqual(valLoss.x, 349.2 + 0.3 * 236.4, accuracy: 1e-9)
        XCTAssertEqual(valLoss.y, 264 - 1.7 / 2.5 * 235.2, accuracy: 1e-9)
        // And back: the pixel reads as the value.
        XCTAssertEqual(loss.y.value(atPixel: valLoss.y), 1.7, accuracy: 1e-9)

        // Tall: stacked, accuracy on top.
        let tall = Self.curves.layout(width: 400, height: 600, fontPixels: 12)
        XCTAssertFalse(tall.sideBySide)
        XCTAssertLessThan(tall.accuracy.frame.maxY, tall.loss.frame.y)
        XCTAssertEqual(tall.loss.frame.width, 400)
    }

    func testASingleEpochSitsInTheMiddle() throws {
        let curves = TrainingCurves(plannedEpochs: 1, history: [Self.record(1, loss: 2.3, accuracy: 0.4, valLoss: nil, valAccuracy: nil)])
        let layout = curves.layout(width: 500, height: 200)
        let point = try XCTUnwrap(layout.loss.line(.loss)?.points.first)
        XCTAssertEqual(point.x, layout.loss.plot.x + layout.loss.plot.width / 2, accuracy: 1e-9)
        XCTAssertGreaterThan(point.y, layout.loss.plot.y); XCTAssertLessThan(point.y, layout.loss.plot.maxY)
        XCTAssertEqual(layout.loss.xTicks, [1])
        XCTAssertGreaterThanOrEqual(layout.loss.yTicks.count, 2)
        // No validation data at all: the legend leaves it out.
        XCTAssertEqual(layout.accuracy.legend.map(\.label), ["accuracy"])
        XCTAssertEqual(Self.curves.layout(width: 500, height: 200).accuracy.legend.map(\.label), ["accuracy", "val_accuracy"])
        // Nothing yet: a usable empty chart over the planned epochs.
        let empty = TrainingCurves(plannedEpochs: 20).layout(width: 500, height: 200)
        XCTAssertEqual(empty.loss.yTicks.first, 0); XCTAssertEqual(empty.loss.xTicks.last, 20)
        XCTAssertTrue(empty.loss.lines.allSatisfy { $0.runs.isEmpty })
    }

    func testMissingAndNonFiniteValuesAreSkippedAndBreakTheLine() throws {
        let curves = TrainingCurves(plannedEpochs: 6, history: [
            Self.record(1, loss: 2, accuracy: 0.2, valLoss: 2.1, valAccuracy: 0.1),
            Self.record(2, loss: 1.8, accuracy: 0.3, valLoss: nil, valAccuracy: nil),
            Self.record(3, loss: .infinity, accuracy: 0.4, valLoss: 1.9, valAccuracy: 0.3),
            Self.record(4, loss: 1.5, accuracy: .nan, valLoss: 1.8, valAccuracy: .nan),
            Self.record(5, loss: 1.4, accuracy: 0.6, valLoss: 1.7, valAccuracy: 0.5),
            Self.record(6, loss: 1.3, accuracy: 0.7, valLoss: 1.6, valAccuracy: 0.55),
        ])
        let layout = curves.layout(width: 640, height: 320)
        func runs(_ panel: TrainingCurves.Panel, _ metric: TrainingCurves.Metric) -> [[Int]] {
            panel.line(metric)!.runs.map { $0.map(\.epoch) }
        }
        XCTAssertEqual(runs(layout.accuracy, .accuracy), [[1, 2, 3], [5, 6]])
        XCTAssertEqual(runs(layout.accuracy, .valAccuracy), [[1], [3], [5, 6]])
        XCTAssertEqual(runs(layout.loss, .loss), [[1, 2], [4, 5, 6]])
        XCTAssertEqual(runs(layout.loss, .valLoss), [[1], [3, 4, 5, 6]])
        for panel in layout.panels {
            for point in panel.lines.flatMap(\.points) { XCTAssertTrue(point.x.isFinite && point.y.isFinite) }
            XCTAssertTrue(panel.yTicks.allSatisfy(\.isFinite))
        }
        // The infinite loss did not stretch the range (finite values 1.3...2.1).
        XCTAssertLessThanOrEqual(layout.loss.y.upper, 2.5); XCTAssertGreaterThanOrEqual(layout.loss.y.upper, 2.1)
        // A gap in the epochs also ends a run.
        let gap = TrainingCurves(plannedEpochs: 5, history: [1, 2, 4, 5].map {
            Self.record($0, loss: 1, accuracy: 0.5, valLoss: nil, valAccuracy: nil) })
        XCTAssertEqual(runs(gap.layout(width: 600, height: 300).accuracy, .accuracy), [[1, 2], [4, 5]])
    }

    func testAHugeFirstLossIsClippedAndMarkedButARisingValidationLossIsNot() throws {
        let spiky = TrainingCurves(plannedEpochs: 8, history: zip(1..., [40.0, 2.5, 2.2, 2.0, 1.9, 1.8]).map {
            Self.record($0, loss: $1, accuracy: 0.5, valLoss: nil, valAccuracy: nil) })
        let loss = spiky.layout(width: 600, height: 300).loss
        let limit = try XCTUnwrap(loss.clipLimit)
        XCTAssertLessThan(limit, 10); XCTAssertGreaterThan(limit, 2.5)
        XCTAssertLessThan(loss.y.upper, 10)
        let points = loss.line(.loss)!.points
        XCTAssertTrue(points[0].clipped)
        XCTAssertEqual(points[0].value, 40)
        XCTAssertEqual(points[0].y, loss.plot.y, accuracy: 1e-9)  // on the top edge
        XCTAssertTrue(points.dropFirst().allSatisfy { !$0.clipped })

        let flat = [2.31, 2.30, 2.32, 2.29, 2.30]
        XCTAssertNil(TrainingCurves.outlierLimit(flat).flatMap { $0 < flat.max()! ? $0 : nil })
        let overfitting = [1.0, 0.8, 0.7, 0.9, 1.2, 1.6, 2.2]
        XCTAssertGreaterThan(try XCTUnwrap(TrainingCurves.outlierLimit(overfitting)), 2.2)
        XCTAssertNil(TrainingCurves.outlierLimit([50, 3, 2.5]))  // too few to judge
    }

    func testMarkersSitAtTheirEpochsWithLabelsThatDoNotCollide() throws {
        var curves = Self.curves
        curves.plannedEpochs = 10
        curves.learningRateChanges = [.init(epoch: 3, from: 0.01, to: 0.005), .init(epoch: 6, from: 0.005, to: 0.0025)]
        curves.earlyStopEpoch = 7
        let panel = curves.layout(width: 600, height: 300, fontPixels: 12).accuracy
        // x of epoch e over 1...10 in a 236.4 px plot starting at 43.2.
        func x(_ epoch: Double) -> Double { 43.2 + (epoch - 1) / 9 * 236.4 }
        XCTAssertEqual(panel.markers.map(\.label), ["lr 0.005", "lr 0.0025", "early stop"])
        XCTAssertEqual(panel.markers.map(\.kind), [.learningRate, .learningRate, .earlyStop])
        // A reduction after epoch n sits between n and n + 1; early stopping on its epoch.
        for (marker, epoch) in zip(panel.markers, [3.5, 6.5, 7]) { XCTAssertEqual(marker.x, x(epoch), accuracy: 1e-9) }
        // "lr 0.0025" runs past epoch 7 (13 px apart): "early stop" goes one row down.
        XCTAssertEqual(panel.markers.map(\.row), [0, 0, 1])
        XCTAssertEqual(panel.markers.map(\.labelLeft), [false, false, false])
        // The loss panel has the same markers at its own x.
        XCTAssertEqual(curves.layout(width: 600, height: 300).loss.markers[2].x, 306 + x(7), accuracy: 1e-9)
        // Early stopping on the last epoch: its label turns left to stay inside the panel; it then
        // spans about 222...278 px, over "lr 0.0025" (190...238), so it takes the second row.
        curves.earlyStopEpoch = 10
        let edge = curves.layout(width: 600, height: 300, fontPixels: 12).accuracy
        XCTAssertEqual(edge.markers.map(\.labelLeft), [false, false, true])
        XCTAssertEqual(edge.markers.map(\.row), [0, 0, 1])
        // Without the reduction after 6 it has the top row to itself.
        curves.learningRateChanges.removeLast()
        XCTAssertEqual(curves.layout(width: 600, height: 300, fontPixels: 12).accuracy.markers.map(\.row), [0, 0])
    }

    func testEventsBuildTheCurvesAndTheSummary() {
        var curves = TrainingCurves(plannedEpochs: 0)
        XCTAssertEqual(curves.summary, "Training curves: no epochs yet")
        curves.apply(.epochStarted(epoch: 1, of: 10, learningRate: 0.01))
        XCTAssertEqual(curves.summary, "Training curves: no epochs yet (10 planned)")
        curves.apply(.batch(epoch: 1, progress: BatchProgress(batchesDone: 1, batchesTotal: 4, runningLoss: 2, runningAccuracy: 0.1)))
        curves.apply(.epochEnded(Self.record(1, loss: 2.1, accuracy: 0.3, valLoss: 2.5, valAccuracy: 0.2)))
        curves.apply(.epochEnded(Self.record(2, loss: 0.5234, accuracy: 0.8134, valLoss: 0.98, valAccuracy: 0.6171)))
        curves.apply(.learningRateReduced(epoch: 2, from: 0.01, to: 0.005))
        curves.apply(.learningRateReduced(epoch: 2, from: 0.01, to: 0.005))  // delivered twice: kept once
        XCTAssertEqual(curves.history.map(\.epoch), [1, 2])
        XCTAssertEqual(curves.learningRateChanges.count, 1)
        XCTAssertEqual(curves.summary, "Training curves: epoch 2 of 10, accuracy 0.81, val_accuracy 0.62, loss 0.523, "
                       + "val_loss 0.98; learning rate reduced after epoch 2 (to 0.005)")
        curves.apply(.epochEnded(Self.record(3, loss: 0.4, accuracy: 0.85, valLoss: 1.1, valAccuracy: 0.6)))
        curves.finish(.earlyStopped(epoch: 3), weightsEpoch: 2)
        XCTAssertEqual(curves.summary, "Training curves: epoch 3 of 10, accuracy 0.85, val_accuracy 0.60, loss 0.4, "
                       + "val_loss 1.1; learning rate reduced after epoch 2 (to 0.005); early stopping after epoch 3; "
                       + "weights from epoch 2")
        // The kept epoch gets a ring on its validation value.
        let layout = curves.layout(width: 600, height: 300)
        XCTAssertEqual(layout.accuracy.kept.map(\.epoch), [2])
        XCTAssertEqual(layout.accuracy.kept.first?.value, 0.6171)
        XCTAssertEqual(layout.loss.kept.first?.value, 0.98)
    }

    // MARK: Rendered curves

    /// Renders into an ARGB32 surface and returns a reader of (r, g, b) at a pixel.
    static func render(width: Int, height: Int, _ draw: (OpaquePointer) -> Void) -> (Int, Int) -> (Int, Int, Int) {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        draw(cr)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        let bytes = Array(UnsafeBufferPointer(start: data, count: stride * height))
        // Little-endian ARGB32: B, G, R, A in memory (opaque here, so no premultiplication to undo).
        return { x, y in let i = y * stride + x * 4; return (Int(bytes[i + 2]), Int(bytes[i + 1]), Int(bytes[i])) }
    }

    static func assertColor(_ actual: (Int, Int, Int), _ expected: ChartColor, tolerance: Int = 2,
                            _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let e = expected.bytes
        let ok = abs(actual.0 - Int(e.r)) <= tolerance && abs(actual.1 - Int(e.g)) <= tolerance && abs(actual.2 - Int(e.b)) <= tolerance
        XCTAssertTrue(ok, "\(message): got \(actual), expected \((e.r, e.g, e.b))", file: file, line: line)
    }

    func testTheRenderedCurvesHaveTheSeriesColoursWhereThePointsMap() {
        for dark in [false, true] {
            let palette = ChartPalette.forBackground(dark: dark)
            let pixel = Self.render(width: 600, height: 300) { cr in
                TrainingCurvesPainter.paint(cr, Self.curves, width: 600, height: 300, dark: dark, fillBackground: true)
            }
            let layout = Self.curves.layout(width: 600, height: 300)
            // Epoch 3: accuracy 0.75 at (90.48, 87.6); the dot there is the accuracy colour.
            let accuracy = layout.accuracy.line(.accuracy)!.points[2]
            Self.assertColor(pixel(Int(accuracy.x), Int(accuracy.y)), palette.accuracy, "accuracy dot, dark \(dark)")
            // Same epoch, value 0.5 (nothing drawn there: between the curves): the background.
            Self.assertColor(pixel(Int(accuracy.x), Int(layout.accuracy.y.pixel(0.55))), palette.background,
                             "empty plot, dark \(dark)")
            // Loss 1.2 at epoch 3: the loss colour; validation loss 1.6 is drawn (dashed) in it too.
            let loss = layout.loss.line(.loss)!.points[2]
            Self.assertColor(pixel(Int(loss.x), Int(loss.y)), palette.loss, "loss dot, dark \(dark)")
            let valLoss = layout.loss.line(.valLoss)!.points[2]
            Self.assertColor(pixel(Int(valLoss.x), Int(valLoss.y)), palette.loss, "val_loss dot, dark \(dark)")
            // The corner is background.
            Self.assertColor(pixel(599, 299), palette.background, "corner, dark \(dark)")
        }
    }

    func testNothingIsDrawnWhereTheCurvesHaveNoData() {
        // The whole run at 640x320: in the loss panel, between the marker after epoch 18 and early
        // stopping at 24, above every loss (all < 1.1 there) there is only background and grid.
        let pixel = Self.render(width: 640, height: 320) { cr in
            TrainingCurvesPainter.paint(cr, Self.fullRun, width: 640, height: 320, dark: false, fillBackground: true)
        }
        let panel = Self.fullRun.layout(width: 640, height: 320).loss
        let gridRows = Set(panel.yTicks.map { Int(panel.y.pixel($0).rounded()) })
        let allowed = [ChartPalette.light.background, ChartPalette.light.grid]
        var stray = 0
        for x in Int(panel.x.pixel(19.5))...Int(panel.x.pixel(23.5)) {
            for y in Int(panel.y.pixel(2.6))...Int(panel.y.pixel(1.3)) where !gridRows.contains(y) {
                let (r, g, b) = pixel(x, y)
                if !allowed.contains(where: { c in abs(Int(c.bytes.r) - r) + abs(Int(c.bytes.g) - g) + abs(Int(c.bytes.b) - b) <= 6 }) {
                    stray += 1
                }
            }
        }
        XCTAssertEqual(stray, 0, "pixels drawn in an empty part of the loss panel")
    }

    func testTinyAndDegenerateSizesGiveFiniteLayoutsAndDrawWithoutTrouble() {
        let many = ConfusionHeatMap(matrix: (0..<24).map { row in (0..<24).map { $0 == row ? 3 : 1 } }, names: (1...24).map { "M\($0)" })
        for (width, height) in [(0.0, 0.0), (1.0, 1.0), (3.0, 40.0), (40.0, 3.0), (-5.0, 10.0)] {
            let layout = Self.fullRun.layout(width: width, height: height)
            for panel in layout.panels {
                let values = panel.lines.flatMap(\.points).flatMap { [$0.x, $0.y] } + panel.markers.map(\.x) + panel.yTicks
                XCTAssertTrue(values.allSatisfy(\.isFinite), "\(width)x\(height)")
            }
            let grid = many.layout(width: width, height: height)
            XCTAssertTrue([grid.grid.x, grid.grid.y, grid.cellSize].allSatisfy { $0.isFinite && $0 >= 0 }, "\(width)x\(height)")
        }
        // Painting at 3x3 (a collapsed pane) is harmless.
        _ = Self.render(width: 3, height: 3) { cr in
            TrainingCurvesPainter.paint(cr, Self.fullRun, width: 3, height: 3, dark: false)
            ConfusionHeatMapPainter.paint(cr, many, width: 3, height: 3, dark: true)
            ConfusionHeatMapPainter.paint(cr, ConfusionHeatMap(matrix: [], names: []), width: 3, height: 3, dark: true)
        }
    }

    // MARK: Heat map

    func testTheRampGetsSteadilyDarkerOnLightAndBrighterOnDark() {
        let samples = (0...200).map { Double($0) / 200 }
        let light = samples.map { ConfusionHeatMap.color(share: $0, dark: false).lightness }
        let dark = samples.map { ConfusionHeatMap.color(share: $0, dark: true).lightness }
        for (a, b) in zip(light, light.dropFirst()) { XCTAssertLessThan(b, a) }
        for (a, b) in zip(dark, dark.dropFirst()) { XCTAssertGreaterThan(b, a) }
        XCTAssertGreaterThan(light.first! - light.last!, 60)  // from near white to deep blue
        XCTAssertGreaterThan(dark.last! - dark.first!, 60)
        // Outside 0...1 and NaN: the ends.
        XCTAssertEqual(ConfusionHeatMap.color(share: -1, dark: false), ConfusionHeatMap.lightRamp[0])
        XCTAssertEqual(ConfusionHeatMap.color(share: .nan, dark: false), ConfusionHeatMap.lightRamp[0])
        XCTAssertEqual(ConfusionHeatMap.color(share: 7, dark: false), ConfusionHeatMap.lightRamp.last)
        // Cell text stays readable at both ends.
        XCTAssertEqual(ConfusionHeatMap.textColor(on: ConfusionHeatMap.lightRamp[0]).luminance, ChartColor(0.1, 0.1, 0.12).luminance)
        XCTAssertEqual(ConfusionHeatMap.textColor(on: ConfusionHeatMap.lightRamp.last!), ChartColor(1, 1, 1))
    }

    func testRowSharesSurviveAnEmptyRowAndARaggedMatrix() {
        let map = ConfusionHeatMap(matrix: [[3, 1, 0], [0, 0, 0], [1, 1, 2]], names: ["A", "B", "C"])
        XCTAssertEqual(map.shares, [[0.75, 0.25, 0], [0, 0, 0], [0.25, 0.25, 0.5]])
        XCTAssertEqual(map.total, 8); XCTAssertEqual(map.diagonal, 5)
        XCTAssertEqual(map.mostConfused, .init(truth: 0, predicted: 1, count: 1))  // first of the ties
        XCTAssertEqual(map.summary, "Confusion matrix, 3 members, 5 of 8 test faces on the diagonal; "
                       + "most confused: A taken for B 1 time")
        // Short rows and missing names are padded; negative counts read as zero.
        let ragged = ConfusionHeatMap(matrix: [[2], [1, -4, 1]], names: ["A"])
        XCTAssertEqual(ragged.names, ["A", "class 2", "class 3"])
        XCTAssertEqual(ragged.counts, [[2, 0, 0], [1, 0, 1], [0, 0, 0]])
        XCTAssertEqual(ragged.shares[2], [0, 0, 0])
        XCTAssertEqual(ConfusionHeatMap(matrix: [[2, 0], [0, 3]], names: ["A", "B"]).summary,
                       "Confusion matrix, 2 members, 5 of 5 test faces on the diagonal; no confusions")
        XCTAssertEqual(ConfusionHeatMap(matrix: [], names: []).summary, "Confusion matrix, 0 members, no test faces")
        // Each cell's tooltip.
        XCTAssertEqual(map.cellText(row: 0, column: 0), "A recognised: 3 of 4 (75%)")
        XCTAssertEqual(map.cellText(row: 2, column: 1), "C taken for B: 1 of 4 (25%)")
        XCTAssertEqual(map.cellText(row: 1, column: 2), "B: no test faces")
        XCTAssertEqual(map.cellText(row: 3, column: 0), "")
    }

    func testTheSummaryNamesTheMostConfusedPair() throws {
        let names = ["Angelina Jolie", "Bill Clinton", "Colin Powell", "Donald Rumsfeld"]
        let matrix = [[12, 1, 1, 1], [3, 11, 0, 1], [0, 2, 12, 1], [1, 1, 2, 11]]
        let map = ConfusionHeatMap(matrix: matrix, names: names)
        XCTAssertEqual(map.summary, "Confusion matrix, 4 members, 46 of 60 test faces on the diagonal; "
                       + "most confused: Bill Clinton taken for Angelina Jolie 3 times")
        // From an EvaluationReport: one-hot probabilities reproduce the matrix.
        var probabilities: [Float] = [], labels: [Int] = []
        for (truth, row) in matrix.enumerated() {
            for (predicted, n) in row.enumerated() {
                for _ in 0..<n { labels.append(truth); probabilities += (0..<4).map { $0 == predicted ? 1 : 0 } }
            }
        }
        let report = try EvaluationReport(probabilities: probabilities, labels: labels, classes: ["aj", "bc", "cp", "dr"])
        XCTAssertEqual(ConfusionHeatMap(report: report, names: names), map)
        XCTAssertEqual(ConfusionHeatMap(report: report).names, ["aj", "bc", "cp", "dr"])
    }

    func testTheHeatMapLayoutUsesNamesForFewMembersAndNumbersWithALegendForMany() throws {
        let four = ConfusionHeatMap(matrix: Array(repeating: [1, 0, 0, 0], count: 4), names: ["Akira", "Naoki", "Ryuji", "Elly"])
        let small = four.layout(width: 420, height: 400, fontPixels: 12)
        XCTAssertEqual(small.mode, .names)
        XCTAssertEqual(small.grid.width, 4 * small.cellSize, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(small.grid.maxX, 420); XCTAssertLessThanOrEqual(small.grid.maxY, 400)
        XCTAssertEqual(small.rowLabels[2].y, small.cell(row: 2, column: 0).midY, accuracy: 1e-9)
        XCTAssertEqual(small.columnLabels[1].x, small.cell(row: 0, column: 1).midX, accuracy: 1e-9)
        XCTAssertEqual(small.rowLabels[2].text, "Ryuji")
        XCTAssertNotNil(small.countPixels)
        let centre = small.cell(row: 3, column: 1)
        XCTAssertTrue(try XCTUnwrap(small.cellAt(x: centre.midX, y: centre.midY)) == (3, 1))
        XCTAssertNil(small.cellAt(x: small.grid.maxX + 1, y: centre.midY))

        let names = (1...24).map { "Member number \($0)" }
        let many = ConfusionHeatMap(matrix: (0..<24).map { row in (0..<24).map { $0 == row ? 10 : 0 } }, names: names)
        for (width, height) in [(600.0, 400.0), (400.0, 600.0), (900.0, 900.0)] {
            let layout = many.layout(width: width, height: height, fontPixels: 12)
            XCTAssertEqual(layout.mode, .indices, "\(width)x\(height)")
            XCTAssertEqual(layout.rowLabels.map(\.text), (1...24).map(String.init))
            XCTAssertEqual(layout.legend.count, 24)
            XCTAssertEqual(layout.legend[23].text, "24  Member number 24")
            XCTAssertGreaterThan(layout.cellSize, 5, "\(width)x\(height)")
            if width < 800 { XCTAssertNil(layout.countPixels, "counts would be unreadably small at \(width)x\(height)") }
            XCTAssertLessThanOrEqual(layout.grid.maxX, width); XCTAssertLessThanOrEqual(layout.grid.maxY, height)
            for entry in layout.legend {  // inside the picture and clear of the grid
                XCTAssertLessThanOrEqual(entry.y + layout.legendPixels, height + 1e-9, "\(width)x\(height)")
                XCTAssertFalse(entry.x >= layout.grid.x && entry.x < layout.grid.maxX && entry.y < layout.grid.maxY,
                               "legend over the grid at \(width)x\(height)")
            }
        }
    }

    func testTheHeatMapsNumbersNeverRunTogether() {
        let many = ConfusionHeatMap(matrix: (0..<24).map { row in (0..<24).map { $0 == row ? 10 : 0 } },
                                    names: (1...24).map { "Member number \($0)" })
        for (width, height) in [(600.0, 400.0), (400.0, 600.0), (900.0, 900.0), (320.0, 320.0)] {
            let layout = many.layout(width: width, height: height, fontPixels: 12)
            let columns = layout.columnLabels
            XCTAssertEqual(columns.first?.text, "1", "\(width)x\(height)")
            XCTAssertGreaterThanOrEqual(columns.count, 5, "\(width)x\(height)")
            for (a, b) in zip(columns, columns.dropFirst()) {
                let half = (ConfusionHeatMap.estimatedWidth(a.text, pixels: layout.labelPixels)
                            + ConfusionHeatMap.estimatedWidth(b.text, pixels: layout.labelPixels)) / 2
                XCTAssertGreaterThan(b.x - a.x, half, "\(a.text) and \(b.text) touch at \(width)x\(height)")
                // Each number still sits under its own column.
                XCTAssertEqual(b.x, layout.cell(row: 0, column: Int(b.text)! - 1).midX, accuracy: 1e-9)
            }
        }
        XCTAssertEqual(ConfusionHeatMap.labelStride(extent: 11, cell: 10), 2)
        XCTAssertEqual((0..<12).filter { ConfusionHeatMap.shows($0, stride: 5) }.map { $0 + 1 }, [1, 5, 10])
    }

    func testTheRenderedHeatMapColoursEachCellByItsRowShare() {
        let map = ConfusionHeatMap(matrix: [[8, 2, 0], [0, 0, 0], [1, 1, 2]], names: ["A", "B", "C"])
        for dark in [false, true] {
            let pixel = Self.render(width: 300, height: 300) { cr in
                ConfusionHeatMapPainter.paint(cr, map, width: 300, height: 300, dark: dark, fillBackground: true)
            }
            let layout = map.layout(width: 300, height: 300)
            for row in 0..<3 {
                for column in 0..<3 {
                    // Near the cell's corner: clear of its count, separators and the diagonal outline.
                    let rect = layout.cell(row: row, column: column)
                    let expected = ConfusionHeatMap.color(share: map.shares[row][column], dark: dark)
                    Self.assertColor(pixel(Int(rect.x + 4), Int(rect.y + 4)), expected, "cell \(row),\(column) dark \(dark)")
                }
            }
        }
    }

    // MARK: Widgets (need a display: run under xvfb-run; skipped without one)

    @MainActor
    func testTheChartWidgetsDrawAndFollowTheDarkStyle() throws {
        guard ProcessInfo.processInfo.environment["DISPLAY"] != nil || ProcessInfo.processInfo.environment["WAYLAND_DISPLAY"] != nil,
              gtk_init_check() != 0 else { throw XCTSkip("no display: run under xvfb-run to test the chart widgets") }
        let wasDark = tl_settings_get_prefer_dark()
        defer { tl_settings_set_prefer_dark(wasDark) }
        tl_settings_set_prefer_dark(0)
        let area = ChartDrawingArea(name: "Test chart", description: "Test", minimumWidth: 200, minimumHeight: 100)
        nonisolated(unsafe) var draws: [(width: Double, dark: Bool)] = []
        area.draw = { _, width, _, dark in draws.append((width, dark)) }
        let curves = TrainingCurvesView(), heatMap = ConfusionHeatMapView()
        curves.apply(.epochEnded(Self.record(1, loss: 2, accuracy: 0.3, valLoss: nil, valAccuracy: nil)))
        XCTAssertEqual(curves.curves.history.count, 1)
        curves.update(Self.fullRun)
        heatMap.update(ConfusionHeatMap(matrix: [[2, 1], [0, 3]], names: ["A", "B"]))
        XCTAssertEqual(curves.curves, Self.fullRun)
        XCTAssertEqual(heatMap.map.total, 6)
        let box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0)!
        for widget in [area.widget, curves.widget, heatMap.widget] { gtk_box_append(box.cast(), widget) }
        let window = gtk_window_new()!
        gtk_window_set_child(window.cast(), box)
        gtk_window_present(window.cast())
        defer { gtk_window_destroy(window.cast()) }
        Self.spin { draws.contains { !$0.dark } }
        XCTAssertEqual(draws.last?.dark, false)
        XCTAssertGreaterThanOrEqual(draws.last?.width ?? 0, 200)
        // The heat map's tooltip at a cell's centre, in the widget's own size.
        let shown = heatMap.map.layout(width: Double(gtk_widget_get_width(heatMap.widget)),
                                       height: Double(gtk_widget_get_height(heatMap.widget)))
        let cell = shown.cell(row: 0, column: 1)
        XCTAssertEqual(heatMap.tooltip(x: cell.midX, y: cell.midY), "A taken for B: 1 of 3 (33%)")
        XCTAssertNil(heatMap.tooltip(x: shown.grid.maxX + 2, y: cell.midY))
        // The app switches to dark (as ColorSchemeFollower does): the chart redraws in dark colours.
        tl_settings_set_prefer_dark(1)
        Self.spin { draws.last?.dark == true }
        XCTAssertEqual(draws.last?.dark, true)
    }

    // MARK: PNG export

    /// Runs the GLib main loop until `done` (the export's completion is posted there).
    @MainActor
    static func spin(until done: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !done(), Date() < deadline { g_main_context_iteration(nil, 0); usleep(1000) }
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tl-charts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @MainActor
    func testTheExportWritesAValidPNGAtomicallyAndLeavesNoTemporaryFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let curvesURL = folder.appendingPathComponent("curves.png"), mapURL = folder.appendingPathComponent("confusion.png")
        try Data("old".utf8).write(to: curvesURL)  // replaced whole
        nonisolated(unsafe) var results: [Result<URL, ExportError>] = []
        TrainingCurvesView.exportPNG(Self.fullRun, width: 640, height: 320, to: curvesURL) { results.append($0) }
        let map = ConfusionHeatMap(matrix: [[5, 1, 0], [2, 4, 0], [0, 1, 6]], names: ["Akira", "小林直己", "Elly"])
        ConfusionHeatMapView.exportPNG(map, width: 400, height: 360, to: mapURL) { results.append($0) }
        // And one into a folder that does not exist: the failure arrives the same way.
        let nowhere = folder.appendingPathComponent("missing/curves.png")
        TrainingCurvesView.exportPNG(Self.curves, width: 100, height: 50, to: nowhere) { results.append($0) }
        Self.spin { results.count == 3 }
        XCTAssertEqual(results.count, 3)
        let failure = results.filter { if case .failure = $0 { true } else { false } }
        XCTAssertEqual(failure.count, 1)
        if case .failure(let error) = failure.first {
            XCTAssertEqual(error.message, "cannot save curves.png: the folder \(folder.path)/missing does not exist")
        }
        results.removeAll { if case .failure = $0 { true } else { false } }
        for result in results { XCTAssertNoThrow(try result.get()) }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)), ["curves.png", "confusion.png"])
        for (url, size) in [(curvesURL, (640, 320)), (mapURL, (400, 360))] {
            let bytes = try Data(contentsOf: url)
            XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            let surface = try XCTUnwrap(cairo_image_surface_create_from_png(url.path))
            defer { cairo_surface_destroy(surface) }
            XCTAssertEqual(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS)
            XCTAssertEqual(Int(cairo_image_surface_get_width(surface)), size.0)
            XCTAssertEqual(Int(cairo_image_surface_get_height(surface)), size.1)
        }
        // Pictures to look at (TRIBELENS_CHART_ARTIFACTS=folder): these two, dark variants, 24 members.
        if let artifacts = ProcessInfo.processInfo.environment["TRIBELENS_CHART_ARTIFACTS"].map(URL.init(fileURLWithPath:)) {
            for url in [curvesURL, mapURL] {
                try PNGFile.writeAtomically(try Data(contentsOf: url), to: artifacts.appendingPathComponent(url.lastPathComponent))
            }
            let many = ConfusionHeatMap(matrix: (0..<24).map { row in (0..<24).map { $0 == row ? 8 : ($0 == (row + 5) % 24 ? 2 : 0) } },
                                        names: (1...24).map { "Member \($0)" })
            let eight = ConfusionHeatMap(matrix: (0..<8).map { row in (0..<8).map { $0 == row ? 9 : ($0 == 7 - row ? 3 : 0) } },
                                         names: ["Takahiro", "Akira", "Naoki Kobayashi", "Kenjiro Yamashita", "Ryuji Imaichi",
                                                 "Hiroomi Tosaka", "岩田剛典", "Elly"])
            let pictures: [(String, Int, Int, (OpaquePointer, Double, Double) -> Void)] = [
                ("curves-dark.png", 900, 360, { TrainingCurvesPainter.paint($0, Self.fullRun, width: $1, height: $2, dark: true, fillBackground: true) }),
                ("curves-small.png", 480, 220, { TrainingCurvesPainter.paint($0, Self.fullRun, width: $1, height: $2, dark: false, fillBackground: true) }),
                ("confusion-names-dark.png", 520, 360, { ConfusionHeatMapPainter.paint($0, map, width: $1, height: $2, dark: true, fillBackground: true) }),
                ("confusion-turned.png", 560, 560, { ConfusionHeatMapPainter.paint($0, eight, width: $1, height: $2, dark: false, fillBackground: true) }),
                ("curves-stacked.png", 420, 520, { TrainingCurvesPainter.paint($0, Self.fullRun, width: $1, height: $2, dark: false, fillBackground: true) }),
                ("confusion-24.png", 640, 420, { ConfusionHeatMapPainter.paint($0, many, width: $1, height: $2, dark: false, fillBackground: true) }),
                ("confusion-24-dark.png", 420, 640, { ConfusionHeatMapPainter.paint($0, many, width: $1, height: $2, dark: true, fillBackground: true) }),
            ]
            for (name, width, height, draw) in pictures {
                try PNGFile.writeAtomically(try ChartPNGExport.render(width: width, height: height, draw),
                                                   to: artifacts.appendingPathComponent(name))
            }
        }
    }

    func testExportingWhereNothingCanBeWrittenFailsWithAClearMessage() throws {
        let png = try ChartPNGExport.render(width: 20, height: 10) { cr, _, _ in cairo_paint(cr) }
        // A folder that does not exist.
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("tl-charts-missing-\(UUID().uuidString)")
        XCTAssertThrowsError(try PNGFile.writeAtomically(png, to: missing.appendingPathComponent("a.png"))) { error in
            XCTAssertEqual("\(error)", "cannot save a.png: the folder \(missing.path) does not exist")
        }
        // A folder without write permission (root ignores permissions: then /sys, which refuses files).
        let folder = try Self.temporaryFolder()
        defer { chmod(folder.path, 0o755); try? FileManager.default.removeItem(at: folder) }
        chmod(folder.path, 0o555)
        let locked = access(folder.path, W_OK) != 0 ? folder.path : "/sys"
        guard FileManager.default.fileExists(atPath: locked) else { throw XCTSkip("no read-only folder to test with") }
        XCTAssertThrowsError(try PNGFile.writeAtomically(png, to: URL(fileURLWithPath: locked).appendingPathComponent("curves.png"))) { error in
            XCTAssertEqual("\(error)", "cannot save curves.png in \(locked): Permission denied")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
        // A zero-size picture is refused before anything is written.
        XCTAssertThrowsError(try ChartPNGExport.render(width: 0, height: 10) { _, _, _ in }) { error in
            XCTAssertEqual("\(error)", "cannot export a chart of 0x10 pixels")
        }
    }
}

extension SeededGenerator {
    /// Uniform in `range`, 53 random bits (for the property tests).
    mutating func next(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() >> 11) / Double(UInt64(1) << 53) * (range.upperBound - range.lowerBound)
    }
}
