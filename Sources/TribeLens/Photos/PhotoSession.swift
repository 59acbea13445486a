import Foundation

/// The photos open in one window and which one is shown. Pure state: the window observes it
/// through `onChange` and the analyzer fills in results.
@MainActor
final class PhotoSession {
    private(set) var photos: [Photo] = []
    private(set) var currentIndex: Int?
    private var nextID = 0
    /// Index of each open photo by URL: a folder of a thousand is added without comparing each
    /// new URL with every open one.
    private var indexByURL: [URL: Int] = [:]

    /// Called after any change; `currentChanged` is false when only another photo's state changed.
    var onChange: (_ currentChanged: Bool) -> Void = { _ in }

    var current: Photo? { currentIndex.map { photos[$0] } }
    var canGoBack: Bool { (currentIndex ?? 0) > 0 }
    var canGoForward: Bool { currentIndex.map { $0 + 1 < photos.count } ?? false }

    /// Adds the photos not open yet and shows the first of `urls` (new or already open).
    /// Returns the newly added photos.
    @discardableResult
    func add(_ urls: [URL]) -> [Photo] {
        var added: [Photo] = []
        var firstIndex: Int?
        for url in urls {
            let url = url.standardizedFileURL
            if let existing = indexByURL[url] {
                firstIndex = firstIndex ?? existing
                continue
            }
            let photo = Photo(id: nextID, url: url)
            nextID += 1
            indexByURL[url] = photos.count
            photos.append(photo)
            added.append(photo)
            firstIndex = firstIndex ?? photos.count - 1
        }
        if let firstIndex { currentIndex = firstIndex }
        onChange(firstIndex != nil)
        return added
    }

    func update(_ id: Int, state: Photo.State) {
        guard let index = photos.firstIndex(where: { $0.id == id }) else { return }
        photos[index].state = state
        photos[index].revision += 1
        onChange(index == currentIndex)
    }

    /// Tells observers that something about `id` changed without a state change (a preview or
    /// thumbnail came).
    func touch(_ id: Int) {
        guard let index = photos.firstIndex(where: { $0.id == id }) else { return }
        photos[index].revision += 1
        onChange(index == currentIndex)
    }

    /// Something about every photo changed (analysis was cancelled: the waiting ones say so).
    func touchAll() {
        for index in photos.indices { photos[index].revision += 1 }
        onChange(true)
    }

    /// The next photo to analyse: the one on screen, else the first waiting one after it, else
    /// the first waiting one at all; never one in `busy` (being analysed already).
    func nextToAnalyze(excluding busy: Set<Int> = []) -> Photo? {
        let start = currentIndex ?? 0
        func waiting(_ index: Int) -> Bool {
            guard case .waiting = photos[index].state else { return false }
            return !busy.contains(photos[index].id)
        }
        // Indices, not copies of the arrays: this runs after every analysis of a long folder.
        if let found = (start..<photos.count).first(where: waiting) ?? (0..<min(start, photos.count)).first(where: waiting) {
            return photos[found]
        }
        return nil
    }

    /// Stores a model's labels for photo `id`.
    func setLabels(_ id: Int, _ labels: PhotoLabels) {
        guard let index = photos.firstIndex(where: { $0.id == id }) else { return }
        photos[index].labels = labels
        photos[index].revision += 1
        onChange(index == currentIndex)
    }

    /// The next analysed photo with faces but no labels from model `generation`: the one on
    /// screen, else the first after it, else any.
    func nextToLabel(generation: Int) -> Photo? {
        let start = currentIndex ?? 0
        let order = Array(photos[start...]) + Array(photos[..<start])
        return order.first { photo in
            guard case .analyzed(let analysis) = photo.state, !analysis.faces.isEmpty else { return false }
            return photo.labels?.generation != generation
        }
    }

    func select(_ index: Int) {
        guard photos.indices.contains(index), index != currentIndex else { return }
        currentIndex = index
        onChange(true)
    }

    func goBack() { move(by: -1) }
    func goForward() { move(by: 1) }
    /// Home / End.
    func goFirst() { select(0) }
    func goLast() { select(photos.count - 1) }

    /// Takes photo `index` out of the window (the file stays as it is). The shown photo goes
    /// on to the one after it (the one before when it was the last); others keep their place on
    /// screen. Returns the removed photo.
    @discardableResult
    func remove(at index: Int) -> Photo? {
        guard photos.indices.contains(index) else { return nil }
        let removed = photos.remove(at: index)
        indexByURL = Dictionary(uniqueKeysWithValues: photos.enumerated().map { ($1.url, $0) })
        let currentChanged: Bool
        if let current = currentIndex {
            if photos.isEmpty {
                currentIndex = nil
                currentChanged = true
            } else if index == current {
                currentIndex = min(current, photos.count - 1)
                currentChanged = true
            } else {
                if index < current { currentIndex = current - 1 }
                currentChanged = false
            }
        } else {
            currentChanged = false
        }
        onChange(currentChanged)
        return removed
    }

    private func move(by step: Int) {
        guard let index = currentIndex, photos.indices.contains(index + step) else { return }
        currentIndex = index + step
        onChange(true)
    }
}
