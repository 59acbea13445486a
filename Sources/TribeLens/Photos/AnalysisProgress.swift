/// What the window's analysis bar says while a folder's photos are being analysed: how many of
/// them are done, and whether the user stopped it. No GTK (the bar only shows it), unit-tested.
struct AnalysisProgress: Equatable {
    let total: Int
    /// Analysed or failed.
    let done: Int
    let stopped: Bool

    init(photos: [Photo], stopped: Bool) {
        total = photos.count
        done = photos.reduce(0) { count, photo in
            if case .waiting = photo.state { return count }
            return count + 1
        }
        self.stopped = stopped
    }

    /// Shown for more than one photo, while some wait: a single photo has its own busy badge.
    var visible: Bool { total > 1 && done < total }
    var canCancel: Bool { visible && !stopped }
    var fraction: Double { total == 0 ? 0 : Double(done) / Double(total) }

    /// "Finding faces: 12 of 300 photos", or "Stopped: 12 of 300 photos analysed".
    var text: String {
        stopped ? L10n.format(L10n.tr("Stopped: %d of %d photos analysed"), done, total)
            : L10n.format(L10n.tr("Finding faces: %d of %d photos"), done, total)
    }
}
