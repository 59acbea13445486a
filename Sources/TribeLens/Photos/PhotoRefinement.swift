import FaceKit

/// When the zoomed photo view needs more pixels than the shown photo's screen-sized preview has,
/// and which decode gives them (issue 17, item 1): the most reduced of full size, 1/2, 1/4 and
/// 1/8 a side whose longer side still covers the zoom. At most one refined image exists, the
/// shown photo's: it goes when another photo is shown or the view is back at fit. A decode that
/// arrives after its request was superseded (another photo, a zoom that no longer needs it, a
/// newer request) is dropped. A decode the loader had to reduce more than asked (its memory
/// budget or pixel limit) is kept, and that photo is not asked for more again. No GTK: the
/// pipeline calls it, `PhotoRefinementTests` test it.
struct PhotoRefinement {
    /// The preview may be enlarged up to this much before it is refined: 10 % is not seen, and
    /// it spares a full decode for a zoom just past the preview.
    static let tolerance = 1.1

    /// A decode asked for: photo `photo` at 1/`reduction` a side.
    struct Request: Equatable, Sendable {
        let photo: Int
        let reduction: Int
        /// The photo's full-size longer side and its preview's, when asked.
        let fullLongSide: Int
        let previewLongSide: Int
        let token: Int
    }

    /// The refined image kept: its photo and the reduction it was decoded at.
    struct Refined: Equatable {
        let photo: Int
        let reduction: Int
    }

    /// What a zoom change asks of the pipeline.
    struct Decision: Equatable {
        /// A decode to start (nil: none).
        var start: Request?
        /// The refined image must go.
        var dropRefined: Bool
        /// The zoom needs more than the loader could give for this photo: it is shown at
        /// 1/`limitedTo` a side (nil: as the zoom needs, or the preview is enough).
        var limitedTo: Int?
    }

    private(set) var refined: Refined?
    private(set) var pending: Request?
    /// The least reduction the loader gave for the shown photo when asked for less (or
    /// `Int.max`: its decode failed), so it is not asked again.
    private var limit: Refined?
    private var tokens = 0

    /// The longer side of a decode at 1/`reduction` (`PhotoLoader` rounds up).
    static func longSide(_ fullLongSide: Int, reduction: Int) -> Int {
        reduction >= fullLongSide ? 1 : (fullLongSide + reduction - 1) / reduction
    }

    /// The most reduced decode (1, 2, 4 or 8) whose longer side, within the tolerance, gives
    /// `needed` screen pixels along the photo's longer side.
    static func reduction(fullLongSide: Int, needed: Double) -> Int {
        DecodeBudget.reductions.last { Double(longSide(fullLongSide, reduction: $0)) * tolerance >= needed } ?? 1
    }

    /// The view now shows photo `photo` (nil: none, or not analysed) whose full-size longer side
    /// is `fullLongSide` and whose preview's is `previewLongSide` (nil: no preview yet), at
    /// `pixelsPerPhotoPixel` device pixels per full-size photo pixel (nil: fitted).
    mutating func zoomed(photo: Int?, fullLongSide: Int, previewLongSide: Int?, pixelsPerPhotoPixel scale: Double?) -> Decision {
        var decision = Decision(start: nil, dropRefined: false, limitedTo: nil)
        if let kept = refined, kept.photo != photo || scale == nil {
            refined = nil
            decision.dropRefined = true
        }
        if limit?.photo != photo { limit = nil }
        guard let photo, let scale, let previewLongSide, fullLongSide > 0 else {
            pending = nil
            return decision
        }
        let needed = scale * Double(fullLongSide)
        let asked = Self.reduction(fullLongSide: fullLongSide, needed: needed)
        let wanted = max(asked, limit?.reduction ?? 1)
        let have = refined.map { Self.longSide(fullLongSide, reduction: $0.reduction) } ?? previewLongSide
        if let limit, limit.reduction <= DecodeBudget.reductions.last!, asked < limit.reduction,
           needed > Double(previewLongSide) * Self.tolerance {
            decision.limitedTo = limit.reduction
        }
        // Enough pixels already, or no decode would give more.
        guard needed > Double(have) * Self.tolerance, Self.longSide(fullLongSide, reduction: wanted) > have else {
            pending = nil
            return decision
        }
        // One under way gives at least as much: let it come.
        if let pending, pending.photo == photo, pending.reduction <= wanted { return decision }
        tokens += 1
        let request = Request(photo: photo, reduction: wanted, fullLongSide: fullLongSide,
                              previewLongSide: previewLongSide, token: tokens)
        pending = request
        decision.start = request
        return decision
    }

    /// `request`'s decode arrived at 1/`reduction` (the loader may reduce more than asked to
    /// stay within its memory budget or pixel limit). True: show it, in place of the refined
    /// image before; false: drop it (superseded, or no more pixels than what is shown).
    mutating func arrived(_ request: Request, reduction: Int) -> Bool {
        guard pending == request else { return false }
        pending = nil
        if reduction > request.reduction { limit = Refined(photo: request.photo, reduction: reduction) }
        let gained = Self.longSide(request.fullLongSide, reduction: reduction)
        if let refined, refined.photo == request.photo,
           Self.longSide(request.fullLongSide, reduction: refined.reduction) >= gained { return false }
        guard gained > request.previewLongSide else { return false }
        refined = Refined(photo: request.photo, reduction: reduction)
        return true
    }

    /// `request`'s decode failed (the file changed or went): the preview stays, and the photo
    /// is not asked for again while it is shown.
    mutating func failed(_ request: Request) {
        guard pending == request else { return }
        pending = nil
        limit = Refined(photo: request.photo, reduction: Int.max)
    }
}
