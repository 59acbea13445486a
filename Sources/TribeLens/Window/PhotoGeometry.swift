/// Where the photo sits in the canvas: scaled to fit with a margin and centred, or as the
/// zoom says (`PhotoZoom`). Shared by the drawing and by the clickable face targets laid over
/// it, so both agree to the pixel at every zoom.
struct PhotoGeometry: Equatable {
    static let margin = 12.0

    let scale: Double
    let left: Double
    let top: Double

    init?(widgetWidth: Double, widgetHeight: Double, photoWidth: Int, photoHeight: Int, zoom: PhotoZoom = .fit) {
        let frame = PhotoZoom.Frame(viewWidth: widgetWidth, viewHeight: widgetHeight, photoWidth: photoWidth, photoHeight: photoHeight)
        guard let placement = zoom.placement(in: frame) else { return nil }
        scale = placement.scale
        left = placement.left
        top = placement.top
    }

    /// A box in photo pixels -> (x, y, width, height) in widget coordinates.
    func rect(x: Int, y: Int, width: Int, height: Int) -> (x: Double, y: Double, width: Double, height: Double) {
        (left + Double(x) * scale, top + Double(y) * scale, Double(width) * scale, Double(height) * scale)
    }
}
