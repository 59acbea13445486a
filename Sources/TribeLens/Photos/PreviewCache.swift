/// The previews of the most recently shown photos. A preview is up to 2048 px wide (12 MB),
/// so a window with hundreds of photos keeps only a few (enough for back and forth) and
/// re-decodes the others on demand.
@MainActor
final class PreviewCache {
    private let capacity: Int
    private var previews: [Int: PreviewImage] = [:]
    private var recent: [Int] = []  // least recently used first

    init(capacity: Int = 4) { self.capacity = capacity }

    subscript(id: Int) -> PreviewImage? {
        guard let preview = previews[id] else { return nil }
        touch(id)
        return preview
    }

    func insert(_ preview: PreviewImage, for id: Int) {
        previews[id] = preview
        touch(id)
        while recent.count > capacity { previews[recent.removeFirst()] = nil }
    }

    /// Drops `id`'s preview (its photo was taken out of the window).
    func remove(_ id: Int) {
        previews[id] = nil
        recent.removeAll { $0 == id }
    }

    private func touch(_ id: Int) {
        recent.removeAll { $0 == id }
        recent.append(id)
    }
}
