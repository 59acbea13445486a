import Foundation

/// The Review page's undo and redo: each user action (one crop, or many at once) is one step,
/// holding every crop's decision before and after, so undoing puts back exactly what was there
/// (including "no decision", which brings "held for review" back).
public struct CurationHistory: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var crop: CropID
        public var before: CurationStore.Decision?
        public var after: CurationStore.Decision?

        public init(crop: CropID, before: CurationStore.Decision?, after: CurationStore.Decision?) {
            self.crop = crop; self.before = before; self.after = after
        }
    }

    /// One user action: the same decision for one or more crops.
    public struct Step: Sendable, Equatable {
        /// What the user chose (nil: "forget the decision").
        public var decision: CurationStore.Decision?
        public var changes: [Change]

        /// The step that takes this one back.
        public var inverse: Step {
            Step(decision: nil, changes: changes.map { Change(crop: $0.crop, before: $0.after, after: $0.before) })
        }
    }

    /// Steps kept for undo; older ones are dropped (each is a few bytes per crop).
    public static let limit = 100

    public private(set) var undoSteps: [Step] = []
    public private(set) var redoSteps: [Step] = []

    public init() {}

    public var canUndo: Bool { !undoSteps.isEmpty }
    public var canRedo: Bool { !redoSteps.isEmpty }

    /// The step that gives `crops` the decision `decision`, as they stand in `queue`: crops that
    /// already have it (and repeats) are left out; nil when nothing would change.
    public static func step(_ decision: CurationStore.Decision?, crops: [CropID], in queue: CurationQueue) -> Step? {
        var current: [CropID: CurationStore.Decision?] = [:]
        for member in queue.members {
            for item in member.items { if let crop = item.crop, current[crop] == nil { current[crop] = .some(item.decision) } }
        }
        var seen = Set<CropID>()
        let changes = crops.compactMap { crop -> Change? in
            guard seen.insert(crop).inserted, let before = current[crop], before != decision else { return nil }
            return Change(crop: crop, before: before, after: decision)
        }
        return changes.isEmpty ? nil : Step(decision: decision, changes: changes)
    }

    /// A step the user just took: it can be undone, and nothing is left to redo.
    public mutating func record(_ step: Step) {
        undoSteps.append(step)
        if undoSteps.count > Self.limit { undoSteps.removeFirst(undoSteps.count - Self.limit) }
        redoSteps = []
    }

    /// The last step, taken off the undo list: apply its `inverse`.
    public mutating func undo() -> Step? {
        guard let step = undoSteps.popLast() else { return nil }
        redoSteps.append(step)
        return step
    }

    /// The last undone step, back on the undo list: apply it again.
    public mutating func redo() -> Step? {
        guard let step = redoSteps.popLast() else { return nil }
        undoSteps.append(step)
        return step
    }

    /// Forgets everything (a new queue after Find Faces: its crops may differ).
    public mutating func clear() {
        undoSteps = []
        redoSteps = []
    }
}

extension CurationQueue {
    /// Applies every change's `after` (see `apply(_:to:)`).
    public mutating func apply(_ step: CurationHistory.Step) {
        for change in step.changes { apply(change.after, to: change.crop) }
    }
}
