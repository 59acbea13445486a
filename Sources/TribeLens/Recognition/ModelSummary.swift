import FaceKit
import Foundation

/// What the window says about a saved model: name, backend, test accuracy and date.
struct ModelSummary: Sendable, Equatable {
    let name: String
    let backend: String
    /// Test accuracy (0-1) from model.json's evaluation, if it has one.
    let accuracy: Double?
    let createdAt: Date

    init(name: String, backend: String, accuracy: Double?, createdAt: Date) {
        self.name = name
        self.backend = backend
        self.accuracy = accuracy
        self.createdAt = createdAt
    }

    init(name: String, manifest: ModelManifest) {
        self.init(name: name, backend: manifest.backend.id, accuracy: manifest.testMetrics?.accuracy,
                  createdAt: manifest.createdAt)
    }

    /// "2026-11-28" in UTC: the date a user sees in `tribelens-cli model list` too.
    var dateText: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: createdAt)
    }

    var accuracyText: String {
        accuracy.map { L10n.format(L10n.tr("test accuracy %s"), Self.percent($0)) } ?? L10n.tr("not evaluated")
    }

    /// "scratch-cnn · test accuracy 87% · 2026-11-28"
    var detailText: String { "\(backend) · \(accuracyText) · \(dateText)" }

    /// "m4, scratch-cnn, test accuracy 87%, 2026-11-28": one line for lists and screen readers.
    var line: String { "\(name), \(backend), \(accuracyText), \(dateText)" }

    static func percent(_ p: Double) -> String { "\(Int((p * 100).rounded()))%" }
}
