import Foundation

/// A built dataset (DatasetManifest + its tensors) turned into what `TrainingJob` and
/// `ModelEvaluation` take: sample sources, class order, member -> group names, a fingerprint and
/// the preprocessing `predict` must repeat.
public struct DatasetTrainingInput: Sendable {
    public var training: InMemorySamples
    /// The validation part, or for the `original` preset the test set (the write-up's
    /// `validation_data=(X_test, y_test)`); nil when empty.
    public var validation: InMemorySamples?
    public var test: InMemorySamples
    public var classes: [String]
    public var roster: String
    public var memberGroups: [String: [String]]
    public var fingerprint: String
    public var preprocessing: [String: JSONValue]

    public init(manifest: DatasetManifest, tensors: DatasetTensors) throws {
        training = try InMemorySamples(pixels: tensors.train.pixels, labels: tensors.train.labels)
        let validationPart = tensors.validationOrTest
        validation = validationPart.count > 0 ? try InMemorySamples(pixels: validationPart.pixels, labels: validationPart.labels) : nil
        test = try InMemorySamples(pixels: tensors.test.pixels, labels: tensors.test.labels)
        classes = tensors.classes
        roster = manifest.roster.id
        memberGroups = Self.memberGroups(manifest.roster)
        fingerprint = Self.fingerprint(manifest)
        preprocessing = [
            "detector": .string(manifest.detector),
            "face_source": .string(manifest.faceSource),
            "crop_side": .number(Double(ImageLayout.side)),
            "dataset": .string(manifest.name),
            "dataset_preset": .string(manifest.preset.rawValue),
        ]
    }

    /// Member id -> the short names of its groups (what labels show: "TAKAHIRO (EXILE)").
    public static func memberGroups(_ roster: Roster) -> [String: [String]] {
        Dictionary(roster.members.map { member in (member.id, roster.groups(of: member).map(\.shortName)) },
                   uniquingKeysWith: { first, _ in first })
    }

    /// SHA-256 of the manifest's canonical JSON: same photos, crops, split and roster, same value.
    public static func fingerprint(_ manifest: DatasetManifest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(manifest)) ?? Data(manifest.name.utf8)
        return "sha256:" + ContentHash.sha256(data)
    }

    /// The test part relabelled to a model's class order; samples of members the model does not
    /// know are dropped and counted.
    public static func relabel(_ samples: InMemorySamples, from datasetClasses: [String], to modelClasses: [String])
        throws -> (samples: InMemorySamples, dropped: Int) {
        let index = Dictionary(modelClasses.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var keep: [Int] = []
        var labels: [Int32] = []
        for (i, label) in samples.labels.enumerated() {
            guard datasetClasses.indices.contains(Int(label)), let k = index[datasetClasses[Int(label)]] else { continue }
            keep.append(i)
            labels.append(Int32(k))
        }
        let kept = try samples.subset(keep)
        return (try InMemorySamples(pixels: kept.pixels, labels: labels), samples.count - keep.count)
    }
}
