/// Where the photo sits in the canvas: scaled to fit with a margin, centred. Shared by the
/// drawing and by the clickable face targets laid over it, so both agree to the pixel.
struct PhotoGeometry: Equatable {
    static let margin = 12.0

    let scale: Double
    let left: Double
    let top: Double

    init?(widgetWidth: Double, widgetHeight: Double, photoWidth: Int, photoHeight: Int) {
        guard photoWidth > 0, photoHeight > 0 else { return nil }
        let scale = min((widgetWidth - 2 * Self.margin) / Double(photoWidth),
                        (widgetHeight - 2 * Self.margin) / Double(photoHeight))
        guard scale > 0 else { return nil }
        self.scale = scale
        left = ((widgetWidth - Double(photoWidth) * scale) / 2).rounded()
        top = ((widgetHeight - Double(photoHeight) * scale) / 2).rounded()
    }

    /// A box in photo pixels -> (x, y, width, height) in widget coordinates.
    func rect(x: Int, y: Int, width: Int, height: Int) -> (x: Double, y: Double, width: Double, height: Double) {
        (left + Double(x) * scale, top + Double(y) * scale, Double(width) * scale, Double(height) * scale)
    }
}
