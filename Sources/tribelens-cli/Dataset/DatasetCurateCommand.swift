import ArgumentParser
import FaceKit
import Foundation

extension DatasetCommand {
    /// Curation without the GUI: reject, accept or re-label the crops of one photo. Decisions are
    /// keyed by the photo's content and the box, so they hold after renames; rebuild to apply.
    struct Curate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject, accept or re-label a face crop of a built dataset (applies at the next build).")

        @Option(help: "The dataset the photo belongs to.")
        var name: String

        @Option(help: "The photo, as the dataset and its reports name it (member-folder/file).")
        var photo: String

        @Option(help: "Which face of the photo (0-based, in the order `--list` shows); default: all.")
        var face: Int?

        @Flag(help: "Reject: wrong person or not a face.")
        var reject = false

        @Flag(help: "Accept a crop held for review.")
        var accept = false

        @Option(help: "Re-label the crop to this member id.")
        var relabel: String?

        @Flag(help: "Forget the decision.")
        var clear = false

        @Flag(help: "Only list the photo's crops and their decisions.")
        var list = false

        func validate() throws {
            let actions = [reject, accept, relabel != nil, clear, list].filter { $0 }.count
            guard actions == 1 else { throw ValidationError("give exactly one of --reject, --accept, --relabel MEMBER, --clear, --list") }
        }

        func run() throws {
            let storage = DatasetStorage.standard
            let manifest = try DatasetStore(storage: storage).load(name: name)
            var crops = manifest.samples.filter { $0.photo == photo }.map { ($0.crop, "in \($0.split.rawValue) as \($0.member)") }
            crops += manifest.excluded.filter { $0.photo == photo }.map { ($0.crop, "excluded: \($0.reason)") }
            crops.sort { ($0.0.y, $0.0.x) < ($1.0.y, $1.0.x) }
            guard !crops.isEmpty else {
                throw DatasetError("dataset \"\(name)\" has no face crop from \(photo) (see `tribelens-cli dataset check --name \(name)`)")
            }
            var store = try CurationStore(storage: storage)
            if list {
                for (index, crop) in crops.enumerated() {
                    let decision = store.decision(for: crop.0).map { " [decision: \($0)]" } ?? ""
                    Console.out("\(index): \(crop.0.x),\(crop.0.y) \(crop.0.width)x\(crop.0.height)  \(crop.1)\(decision)")
                }
                return
            }
            if let face, !crops.indices.contains(face) {
                throw ValidationError("\(photo) has \(crops.count) face crop(s); --face must be 0...\(crops.count - 1)")
            }
            if let relabel, manifest.roster.member(id: relabel) == nil {
                throw ValidationError("no member \"\(relabel)\" in roster \(manifest.roster.id)")
            }
            let decision: CurationStore.Decision? = reject ? .reject : accept ? .accept : relabel.map { .relabel(memberID: $0) }
            let chosen = face.map { [crops[$0]] } ?? crops
            for crop in chosen { store.set(decision, for: crop.0) }
            try store.save()
            Console.out("\(decision.map { "\($0)" } ?? "cleared") for \(chosen.count) crop(s) of \(photo); rebuild the dataset to apply")
        }
    }
}
