import Dispatch
import FaceKit
import Foundation

/// The user's corrections of faces, kept in the dataset pipeline's curation store
/// (`$XDG_DATA_HOME/tribelens/curation.json`, keyed by photo content hash + box) so that the
/// next `dataset build` trains on them. Saving happens on a serial queue, in order, atomically
/// (CurationStore writes a temporary file and renames it). Photo files are only ever read.
@MainActor
final class CorrectionBook {
    static let shared = CorrectionBook(storage: nil)

    private let fixedStorage: DatasetStorage?
    private var store: CurationStore?
    /// Why the store could not be read: kept, so a broken file is read once, not on every redraw.
    private var loadProblem: String?
    /// "Not this member" is stored as a rejection of that kind; remembered here to show which
    /// member it was.
    private var shownAs: [CropID: FaceCorrection] = [:]
    private let saveQueue = DispatchQueue(label: "io.github.tribelens.curation", qos: .utility)

    /// `storage` nil: the XDG folders (read when first needed, so tests can point them elsewhere).
    init(storage: DatasetStorage?) { fixedStorage = storage }

    private var storage: DatasetStorage { fixedStorage ?? .standard }

    /// Loads the store on first use; a broken file is reported once and treated as empty
    /// (corrections then cannot be saved until it is moved away).
    private func loaded() throws -> CurationStore {
        if let store { return store }
        if let loadProblem { throw DatasetError(loadProblem) }
        do {
            let fresh = try CurationStore(storage: storage)
            store = fresh
            return fresh
        } catch {
            loadProblem = "\(error)"
            throw error
        }
    }

    func correction(photoHash: String?, box: FaceBox) -> FaceCorrection? {
        guard let photoHash else { return nil }
        let id = CropID(photoHash: photoHash, box: box)
        if let shown = shownAs[id] { return shown }
        guard let store = try? loaded(), let decision = store.decision(for: id) else { return nil }
        return FaceCorrection(decision, kind: store.rejectionKind(for: id))
    }

    /// Records `correction` (nil: forget the earlier one) and saves; `done` gets nil or the
    /// one-line reason it could not be saved. Returns false when the store could not even be
    /// read (`done` has then been called already).
    @discardableResult
    func record(_ correction: FaceCorrection?, photoHash: String, box: FaceBox,
                done: @escaping @MainActor @Sendable (String?) -> Void) -> Bool {
        var updated: CurationStore
        do { updated = try loaded() } catch {
            done("\(error)")
            return false
        }
        let id = CropID(photoHash: photoHash, box: box)
        updated.set(correction?.decision, for: id, kind: correction?.rejectionKind)
        store = updated
        shownAs[id] = correction
        let snapshot = updated
        saveQueue.async {
            let problem: String?
            do { try snapshot.save(); problem = nil } catch { problem = L10n.format(L10n.tr("could not save the correction: %s"), "\(error)") }
            MainLoop.post { done(problem) }
        }
        return true
    }

    /// The curation grid's decisions (reject / relabel / accept, nil: back to undecided), saved
    /// through the same serial queue as the recognition view's corrections, so the two never
    /// overwrite each other's file. `done` as in `record(_:photoHash:box:done:)`.
    @discardableResult
    func record(decision: CurationStore.Decision?, crop: CropID,
                done: @escaping @MainActor @Sendable (String?) -> Void) -> Bool {
        record(decisions: [(crop, decision)], done: done)
    }

    /// Several of the grid's decisions at once (a multiple selection, "Reject All Flagged", an
    /// undo): one write of the file for all of them.
    @discardableResult
    func record(decisions: [(crop: CropID, decision: CurationStore.Decision?)],
                done: @escaping @MainActor @Sendable (String?) -> Void) -> Bool {
        var updated: CurationStore
        do { updated = try loaded() } catch {
            done("\(error)")
            return false
        }
        for (crop, decision) in decisions {
            updated.set(decision, for: crop)
            shownAs[crop] = nil  // the grid's decision replaces whatever the recognition view showed
        }
        store = updated
        let snapshot = updated
        saveQueue.async {
            let problem: String?
            do { try snapshot.save(); problem = nil } catch { problem = "could not save the decision: \(error)" }
            MainLoop.post { done(problem) }
        }
        return true
    }

    /// The stored decisions, for building a `CurationQueue` (nil when the file is unreadable).
    func currentStore() -> CurationStore? { try? loaded() }
}
