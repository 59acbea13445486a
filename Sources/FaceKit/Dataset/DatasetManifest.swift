import Foundation

/// How a dataset is built (design brief, "Two presets").
public enum DatasetPreset: String, Sendable, Codable, CaseIterable {
    /// The write-up: Haar with its parameters, every crop kept, per-member seeded shuffle with
    /// `len // 5` to test, no validation set (Keras used the test set as validation data).
    case original
    /// Largest face per photo (others held for review), near-duplicates kept on one side of the
    /// split, and a validation set carved from training photos before augmentation.
    case recommended
}

public enum SplitPart: String, Sendable, Codable, CaseIterable { case train, validation, test }

/// One face crop in a dataset, with its provenance.
public struct DatasetSample: Sendable, Codable, Equatable {
    public var crop: CropID
    /// The photo, relative to the dataset's photo root.
    public var photo: String
    /// Member id after curation (a re-labelled crop carries its new member).
    public var member: String
    /// Index into `DatasetManifest.classes`.
    public var label: Int
    public var split: SplitPart
    public var box: FaceBox
    public var detector: String
    public var score: Double?
}

/// A crop found but left out of the dataset, and why ("rejected", "held for review").
public struct ExcludedCrop: Sendable, Codable, Equatable {
    public var crop: CropID
    public var photo: String
    public var member: String
    public var reason: String
}

/// A named dataset: the result of `dataset build`, stored as
/// `$XDG_DATA_HOME/tribelens/datasets/<name>/manifest.json`. The crops themselves stay in the
/// content-keyed face cache; augmentation is recomputed on load (it is deterministic and fast).
public struct DatasetManifest: Sendable, Codable, Equatable {
    public static let formatVersion = 1

    public var version = DatasetManifest.formatVersion
    public var name: String
    public var created: Date
    public var photoRoot: String
    public var roster: Roster
    public var preset: DatasetPreset
    public var seed: UInt64
    /// `FaceSource.cacheKey` of the crops (where `tensors()` finds them).
    public var faceSource: String
    public var detector: String
    /// Member ids, label order (roster order, members with at least one crop).
    public var classes: [String]
    public var samples: [DatasetSample]
    public var excluded: [ExcludedCrop]
    /// Training images per training crop (9: the write-up's augmentation).
    public var augmentationFactor: Int

    public func samples(in part: SplitPart) -> [DatasetSample] { samples.filter { $0.split == part } }

    /// A content fingerprint of the dataset (classes, and every crop with its label and part), for
    /// a model's `model.json`: equal fingerprints mean the same training data.
    public var fingerprint: String {
        var text = "tribelens-dataset-v1\n" + classes.joined(separator: ",") + "\naugmentation x\(augmentationFactor)\n"
        for sample in samples.sorted(by: { $0.crop < $1.crop }) {
            text += "\(sample.crop) \(sample.label) \(sample.split.rawValue)\n"
        }
        return ContentHash.sha256(Data(text.utf8))
    }

    /// Member id -> names of its groups, for each class (a TrainingRequest's `memberGroups`).
    public var memberGroups: [String: [String]] {
        Dictionary(uniqueKeysWithValues: classes.map { id in
            (id, roster.member(id: id).map { roster.groups(of: $0).map(\.name) } ?? [])
        })
    }

    /// Per-part crop counts, and the training images after augmentation.
    public var counts: (train: Int, validation: Int, test: Int, augmentedTrain: Int) {
        let train = samples(in: .train).count
        return (train, samples(in: .validation).count, samples(in: .test).count, train * augmentationFactor)
    }
}
