import FaceKit

/// Whether "Use it to label photos" starts ticked when a new model is saved, and the sentence
/// that compares it with the active model, so a worse model never replaces a better one unseen.
struct ActivationAdvice: Equatable {
    /// Ticked when there is no active model or the new one scored at least as well.
    let activateByDefault: Bool
    /// "The active model “m4” scored 68%; this one scored 22%." nil with no active model.
    let comparison: String?

    /// - Parameters:
    ///   - newAccuracy: the new model's test accuracy (0-1), nil when it was not evaluated.
    ///   - active: the active model, nil when none is.
    init(newAccuracy: Double?, active: ModelSummary?) {
        guard let active else {
            activateByDefault = true
            comparison = nil
            return
        }
        switch (active.accuracy, newAccuracy) {
        case let (old?, new?):
            // Compared as the user reads them, in whole percent.
            activateByDefault = (new * 100).rounded() >= (old * 100).rounded()
            comparison = L10n.format(L10n.tr("The active model “%s” scored %s; this one scored %s."), active.name,
                                     ModelSummary.percent(old), ModelSummary.percent(new))
        case (nil, let new?):
            activateByDefault = true
            comparison = L10n.format(L10n.tr("The active model “%s” was not evaluated; this one scored %s."), active.name,
                                     ModelSummary.percent(new))
        case (let old?, nil):
            activateByDefault = false
            comparison = L10n.format(L10n.tr("The active model “%s” scored %s; this one was not evaluated."), active.name,
                                     ModelSummary.percent(old))
        case (nil, nil):
            activateByDefault = false
            comparison = L10n.format(L10n.tr("The active model “%s” and this one were not evaluated."), active.name)
        }
    }
}
