import Dispatch
import Foundation

/// Connects a window's photos to the analyzer and the model: decides what to analyse next (the
/// photo on screen first, then the ones after it, as many at once as the analyzer has lanes)
/// and what to label, streams the strip's thumbnails ahead of the analyses, keeps the shown
/// photos' previews cached (only those: a folder of a thousand keeps a thousand thumbnails, not
/// a thousand screen-sized images), refines the shown photo for a zoom past its preview
/// (`zoomed`: one larger decode at a time, kept for that photo only, `PhotoRefinement`), stops
/// analysing on `cancelAnalysis`, and reports every change and failure. The window shows
/// `session`, `preview(for:)` and `refined(for:)`; it never
/// calls the analyzer itself. No GTK here (results come back through the GLib main loop), so the
/// unit tests drive it with a fake detector and a fake backend.
@MainActor
final class PhotoPipeline {
    let session = PhotoSession()
    private let analyzer: PhotoAnalyzer
    private let previews = PreviewCache()
    private var thumbnails: [Int: PreviewImage] = [:]  // 128 px, about 50 kB each: kept for all
    private var thumbnailing: Set<Int> = []  // ids whose thumbnail is being made
    private var thumbnailFailed: Set<Int> = []
    private var thumbnailCursor = 0          // photos before this index have a thumbnail asked for
    private var analyzing: Set<Int> = []     // ids of the photos being analysed
    /// The user cancelled: no more photos are analysed, except one the user shows.
    private(set) var analysisStopped = false
    private var previewing: Set<Int> = []    // ids whose preview is being re-made
    private var labelling: Int?              // id of the photo the model is labelling
    private var refinement = PhotoRefinement()
    private var refinedImage: RefinedImage?  // the shown photo's, when zoomed past its preview
    private let recognition: RecognitionState

    /// A photo could not be opened, or an opened folder held no photos.
    var onProblem: (String) -> Void = { _ in }

    /// `recognition`: the model that names the faces (the app's `RecognitionState.shared`).
    init(analyzer: PhotoAnalyzer, recognition: RecognitionState) {
        self.analyzer = analyzer
        self.recognition = recognition
        // A new model (or none) makes every label stale: label again, shown photo first.
        recognition.observe { [weak self] in self?.labelNext() }
        recognition.start()
    }

    /// Opens files and folders (folders are searched for photos).
    func open(_ urls: [URL]) {
        analyzer.expand(urls) { [weak self] photos in
            guard let self else { return }
            if photos.isEmpty {
                self.onProblem(L10n.format(L10n.tr("%s: no photos found"), urls.map(\.lastPathComponent).joined(separator: ", ")))
                return
            }
            // New photos are work the user asked for: analysis runs again after a Cancel.
            self.analysisStopped = false
            self.session.add(photos)
            self.analyzeNext()
            self.thumbnailNext()
        }
    }

    /// Stops analysing (the analyses under way finish); the photos left say they were not
    /// analysed, and one the user shows is analysed then.
    func cancelAnalysis() {
        guard !analysisStopped else { return }
        analysisStopped = true
        session.touchAll()
    }

    /// What the window's progress bar shows.
    var progress: AnalysisProgress { AnalysisProgress(photos: session.photos, stopped: analysisStopped) }

    /// The preview of `photo` if cached; otherwise asks for it and the session changes when it
    /// arrives.
    func preview(for photo: Photo) -> PreviewImage? {
        if let preview = previews[photo.id] { return preview }
        if case .analyzed = photo.state, !previewing.contains(photo.id) {
            previewing.insert(photo.id)
            let id = photo.id
            analyzer.preview(photo.url) { [weak self] preview in
                guard let self else { return }
                self.previewing.remove(id)
                if let preview {
                    self.previews.insert(preview, for: id)
                    self.session.touch(id)
                } else {
                    self.session.update(id, state: .failed(L10n.format(L10n.tr("%s: could no longer be read"), photo.fileName)))
                }
            }
        }
        return nil
    }

    func thumbnail(for photo: Photo) -> PreviewImage? { thumbnails[photo.id] }

    /// The larger image the zoom asked for, when it has come and `photo` is still shown zoomed.
    func refined(for photo: Photo) -> RefinedImage? {
        refinement.refined?.photo == photo.id ? refinedImage : nil
    }

    /// The photo view shows photo `photoID` (nil: none) at `pixelsPerPhotoPixel` device pixels per
    /// full-size photo pixel (nil: fitted). Asks for the decode the zoom needs when the preview
    /// is too small for it, and lets go of the refined image at fit or for another photo. Returns
    /// the reduction (2: half a side) the view stays at when the photo is too large to give
    /// what the zoom needs (nil: it gets it).
    @discardableResult
    func zoomed(photoID: Int?, pixelsPerPhotoPixel: Double?) -> Int? {
        let photo = session.current.flatMap { $0.id == photoID ? $0 : nil }
        let analysis: PhotoAnalysis? = photo.flatMap { if case .analyzed(let analysis) = $0.state { return analysis } else { return nil } }
        let preview = photo.flatMap { previews[$0.id] }
        let decision = refinement.zoomed(photo: analysis == nil ? nil : photo?.id,
                                         fullLongSide: analysis.map { max($0.width, $0.height) } ?? 0,
                                         previewLongSide: preview.map { max($0.width, $0.height) },
                                         pixelsPerPhotoPixel: pixelsPerPhotoPixel)
        if decision.dropRefined {
            refinedImage = nil
            if let photo { session.touch(photo.id) }  // the canvas lets go of its copy
        }
        if refinement.pending == nil { analyzer.cancelRefine() }
        if let request = decision.start, let photo { refine(photo, request) }
        return decision.limitedTo
    }

    private func refine(_ photo: Photo, _ request: PhotoRefinement.Request) {
        let started = DispatchTime.now()
        analyzer.refine(photo.url, reduction: request.reduction, token: request.token) { [weak self] result in
            guard let self, let result else { return }  // nil: skipped, a newer request came first
            switch result {
            case .success(let made):
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
                let kept = self.refinement.arrived(request, reduction: made.reduction)
                FileHandle.standardError.write(Data(String(
                    format: "tribelens: %@: refined to %dx%d (1/%d, asked 1/%d) in %.2f s, %@\n", photo.fileName,
                    made.image.width, made.image.height, made.reduction, request.reduction, seconds,
                    kept ? "shown" : "dropped").utf8))
                guard kept else { return }
                self.refinedImage = made.image
                self.session.touch(photo.id)
            case .failure(let error):
                // The preview stays; the zoom simply shows it enlarged.
                self.refinement.failed(request)
                FileHandle.standardError.write(Data("tribelens: \(photo.fileName): not refined: \(error)\n".utf8))
            }
        }
    }

    /// Takes photo `index` out of the window: its thumbnail and preview go, the file is not
    /// touched. An analysis or labelling under way for it finishes and is dropped (the session
    /// no longer knows its id).
    func remove(at index: Int) {
        guard let removed = session.remove(at: index) else { return }
        thumbnails[removed.id] = nil
        previews.remove(removed.id)
        if index < thumbnailCursor { thumbnailCursor -= 1 }
        analyzeNext()
    }

    /// Starts analyses while a lane is free. The window calls it when the shown photo changes,
    /// so a photo shown after a Cancel is analysed.
    func analyzeNext() {
        while analyzing.count < analyzer.lanes {
            let next: Photo?
            if analysisStopped {
                next = session.current.flatMap { photo in
                    if case .waiting = photo.state, !analyzing.contains(photo.id) { return photo }
                    return nil
                }
            } else {
                next = session.nextToAnalyze(excluding: analyzing)
            }
            guard let next else { return }
            analyze(next)
        }
    }

    /// Asks for the next thumbnails in strip order, two at a time (reduced decodes or the
    /// cache: quick, so the strip fills well ahead of the analyses).
    private func thumbnailNext() {
        let photos = session.photos
        while thumbnailing.count < 2, thumbnailCursor < photos.count {
            let photo = photos[thumbnailCursor]
            thumbnailCursor += 1
            guard thumbnails[photo.id] == nil, !thumbnailFailed.contains(photo.id) else { continue }
            thumbnailing.insert(photo.id)
            let id = photo.id
            analyzer.thumbnail(photo.url) { [weak self] thumbnail in
                guard let self else { return }
                self.thumbnailing.remove(id)
                if let thumbnail {
                    if self.thumbnails[id] == nil {
                        self.thumbnails[id] = thumbnail
                        self.session.touch(id)
                    }
                } else {
                    self.thumbnailFailed.insert(id)
                }
                self.thumbnailNext()
            }
        }
    }

    /// Finds the faces of `photo` as the active model prepares them (its detector and crops), or
    /// with the Preferences' detector while no model is active.
    private func analyze(_ photo: Photo) {
        analyzing.insert(photo.id)
        analyzer.analyze(photo.url, preparation: recognition.status.info?.preparation,
                         preview: photo.id == session.current?.id, thumbnail: thumbnails[photo.id] == nil) { [weak self] outcome in
            guard let self else { return }
            self.analyzing.remove(photo.id)
            if let preview = outcome.preview { self.previews.insert(preview, for: photo.id) }
            if let thumbnail = outcome.thumbnail, self.thumbnails[photo.id] == nil { self.thumbnails[photo.id] = thumbnail }
            switch outcome.state {
            case .failed(let message): self.onProblem(message)
            case .analyzed(let analysis):
                FileHandle.standardError.write(Data(String(
                    format: "tribelens: %@: %d faces in %.2f s (%@)\n",
                    photo.fileName, analysis.faces.count, analysis.seconds, analysis.detector).utf8))
            case .waiting: break
            }
            self.session.update(photo.id, state: outcome.state)
            self.analyzeNext()
            self.labelNext()
        }
    }

    // MARK: Labelling (after detection, with the active model)

    /// Asks the model for the next photo whose faces have no labels from the current model:
    /// the shown one first. One at a time, like analysis.
    func labelNext() {
        guard labelling == nil, let model = recognition.status.info else { return }
        guard let photo = session.nextToLabel(generation: model.generation),
              case .analyzed(let analysis) = photo.state else { return }
        // Analysed for another detector or crop: find its faces again the model's way first
        // (the boxes on screen are then the ones the model names).
        if analysis.preparation != model.preparation {
            if analyzing.count < analyzer.lanes, !analyzing.contains(photo.id) { analyze(photo) }
            return
        }
        labelling = photo.id
        let started = DispatchTime.now()
        recognition.label(crops: analysis.crops, count: analysis.faces.count, boxes: analysis.faces, generation: model.generation) {
            [weak self] result in
            guard let self else { return }
            self.labelling = nil
            switch result {
            case .success(let faces):
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
                Recognizer.log(String(format: "%@: labelled %d faces in %.3f s (model %@)", photo.fileName,
                                      faces.count, seconds, model.summary.name))
                self.session.setLabels(photo.id, PhotoLabels(generation: model.generation, faces: faces, seconds: seconds))
            case .failure(let failure) where failure.stale:
                break
            case .failure(let failure):
                // Keep the boxes; say why they have no names, and do not ask again for this model.
                self.onProblem(L10n.format(L10n.tr("%1$s: the model could not label the faces: %2$s"), photo.fileName, failure.message))
                self.session.setLabels(photo.id, PhotoLabels(generation: model.generation, faces: [], seconds: 0))
            }
            self.labelNext()
        }
    }
}
