/// Colours of both charts for a light or dark background: text, grid, and the curves' series.
/// The series colours are from Okabe and Ito's colour-blind-safe set (blue against
/// vermillion/orange), in a lighter variant on dark.
struct ChartPalette: Sendable, Equatable {
    var background: ChartColor
    var text: ChartColor
    var grid: ChartColor
    var accuracy: ChartColor
    var loss: ChartColor
    var earlyStop: ChartColor

    static let light = ChartPalette(background: ChartColor(1, 1, 1), text: ChartColor(0.15, 0.15, 0.17),
                                    grid: ChartColor(0.87, 0.87, 0.89), accuracy: ChartColor(hex: 0x0072B2),
                                    loss: ChartColor(hex: 0xD55E00), earlyStop: ChartColor(hex: 0xAA4488))
    static let dark = ChartPalette(background: ChartColor(0.14, 0.14, 0.15), text: ChartColor(0.92, 0.92, 0.93),
                                   grid: ChartColor(0.27, 0.27, 0.29), accuracy: ChartColor(hex: 0x56B4E9),
                                   loss: ChartColor(hex: 0xE69F00), earlyStop: ChartColor(hex: 0xCC79A7))

    static func forBackground(dark: Bool) -> ChartPalette { dark ? .dark : .light }

    func color(_ metric: TrainingCurves.Metric) -> ChartColor { metric.isLoss ? loss : accuracy }
}
