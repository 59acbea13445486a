/// How the photo view is zoomed, as GNOME's image viewer (Loupe) does it: "fit" (the default:
/// the whole photo in the window, small photos enlarged) or a fixed scale (1 = 100 %: one photo
/// pixel per screen pixel), then a point of the photo at the middle of the view that scrolling
/// and dragging move. Zoom steps multiply by 1.5 between the fit scale and 20x; zooming out
/// past the fit scale returns to fit. No GTK: `PhotoGeometry` turns it into pixels, and the
/// arithmetic is unit-tested (`PhotoZoomTests`).
struct PhotoZoom: Equatable {
    static let step = 1.5
    static let maximum = 20.0

    /// The photo and the view it is shown in (widget pixels).
    struct Frame: Equatable {
        var viewWidth: Double
        var viewHeight: Double
        var photoWidth: Int
        var photoHeight: Int

        /// The scale at which the whole photo fits with the margin; nil for an empty photo or view.
        var fitScale: Double? {
            guard photoWidth > 0, photoHeight > 0 else { return nil }
            let scale = min((viewWidth - 2 * PhotoGeometry.margin) / Double(photoWidth),
                            (viewHeight - 2 * PhotoGeometry.margin) / Double(photoHeight))
            return scale > 0 ? scale : nil
        }
    }

    /// nil: fit.
    private(set) var fixedScale: Double?
    /// The photo point (photo pixels) at the middle of the view when zoomed.
    private(set) var centerX = 0.0
    private(set) var centerY = 0.0

    static let fit = PhotoZoom()

    var isFit: Bool { fixedScale == nil }

    /// The scale shown in `frame`.
    func scale(in frame: Frame) -> Double? {
        guard let fit = frame.fitScale else { return nil }
        return fixedScale ?? fit
    }

    /// Where the photo's top left corner is drawn, and at which scale.
    func placement(in frame: Frame) -> (scale: Double, left: Double, top: Double)? {
        guard let scale = scale(in: frame) else { return nil }
        guard fixedScale != nil else {
            return (scale, ((frame.viewWidth - Double(frame.photoWidth) * scale) / 2).rounded(),
                    ((frame.viewHeight - Double(frame.photoHeight) * scale) / 2).rounded())
        }
        let (x, y) = Self.clamped(centerX, centerY, scale: scale, frame: frame)
        return (scale, (frame.viewWidth / 2 - x * scale).rounded(), (frame.viewHeight / 2 - y * scale).rounded())
    }

    /// Can the photo be moved in the view (it is larger than the view along some axis)?
    func canPan(in frame: Frame) -> Bool {
        guard let scale = scale(in: frame), fixedScale != nil else { return false }
        return Double(frame.photoWidth) * scale > frame.viewWidth || Double(frame.photoHeight) * scale > frame.viewHeight
    }

    /// Zooms to `scale` keeping the photo point under `anchor` (view pixels; nil: the middle
    /// of the view) where it is. At or below the fit scale (and never beyond `maximum`) it fits.
    mutating func zoom(to scale: Double, in frame: Frame, anchor: (x: Double, y: Double)? = nil) {
        guard let fit = frame.fitScale, let old = placement(in: frame) else { return }
        let target = min(scale, Self.maximum)
        guard target > fit * 1.0001 else {
            self = .fit
            return
        }
        let anchor = anchor ?? (frame.viewWidth / 2, frame.viewHeight / 2)
        // The photo point under the anchor now, which stays under it.
        let photoX = (anchor.x - old.left) / old.scale, photoY = (anchor.y - old.top) / old.scale
        fixedScale = target
        let (x, y) = Self.clamped(photoX + (frame.viewWidth / 2 - anchor.x) / target,
                                  photoY + (frame.viewHeight / 2 - anchor.y) / target, scale: target, frame: frame)
        centerX = x
        centerY = y
    }

    /// Ctrl+plus, the + button: one step further in.
    mutating func zoomIn(in frame: Frame, anchor: (x: Double, y: Double)? = nil) {
        guard let scale = scale(in: frame) else { return }
        zoom(to: scale * Self.step, in: frame, anchor: anchor)
    }

    /// Ctrl+minus, the − button: one step out, to fit at most.
    mutating func zoomOut(in frame: Frame, anchor: (x: Double, y: Double)? = nil) {
        guard let scale = scale(in: frame) else { return }
        zoom(to: scale / Self.step, in: frame, anchor: anchor)
    }

    /// Ctrl+1: one photo pixel per screen pixel, even when that is smaller than fit.
    mutating func actualSize(in frame: Frame) {
        guard frame.fitScale != nil else { return }
        if let old = placement(in: frame) {
            centerX = (frame.viewWidth / 2 - old.left) / old.scale
            centerY = (frame.viewHeight / 2 - old.top) / old.scale
        }
        fixedScale = 1
        (centerX, centerY) = Self.clamped(centerX, centerY, scale: 1, frame: frame)
    }

    /// Scrolling or dragging: moves the photo by (dx, dy) view pixels (positive: the photo
    /// moves right/down, showing more of its left/top), within its edges.
    mutating func pan(dx: Double, dy: Double, in frame: Frame) {
        guard let scale = fixedScale else { return }
        (centerX, centerY) = Self.clamped(centerX - dx / scale, centerY - dy / scale, scale: scale, frame: frame)
    }

    /// The middle of the view kept inside the photo so no more than the margin shows beyond an
    /// edge; centred along an axis where the photo is smaller than the view.
    private static func clamped(_ x: Double, _ y: Double, scale: Double, frame: Frame) -> (Double, Double) {
        func axis(_ value: Double, photo: Int, view: Double) -> Double {
            let size = Double(photo)
            let half = (view / 2 - PhotoGeometry.margin) / scale
            guard size > 2 * half else { return size / 2 }
            return min(max(value, half), size - half)
        }
        return (axis(x, photo: frame.photoWidth, view: frame.viewWidth), axis(y, photo: frame.photoHeight, view: frame.viewHeight))
    }

    /// "37%": the shown scale, rounded.
    func percentText(in frame: Frame) -> String {
        guard let scale = scale(in: frame) else { return "100%" }
        return "\(Int((scale * 100).rounded()))%"
    }
}
