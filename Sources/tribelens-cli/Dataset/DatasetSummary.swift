import FaceKit
import Foundation

/// What `build` and `list` print about a dataset.
struct DatasetSummary: Codable {
    var name: String
    var created: Date
    var photoRoot: String
    var roster: String
    var preset: String
    var detector: String
    var seed: UInt64
    var classes: Int
    var crops: Int
    var train: Int
    var validation: Int
    var test: Int
    var augmentedTrain: Int
    var perMember: [String: [String: Int]]

    init(_ m: DatasetManifest) {
        let counts = m.counts
        name = m.name; created = m.created; photoRoot = m.photoRoot; roster = m.roster.id; preset = m.preset.rawValue
        detector = m.detector; seed = m.seed; classes = m.classes.count; crops = m.samples.count
        train = counts.train; validation = counts.validation; test = counts.test; augmentedTrain = counts.augmentedTrain
        var per: [String: [String: Int]] = [:]
        for sample in m.samples { per[sample.member, default: [:]][sample.split.rawValue, default: 0] += 1 }
        perMember = per
    }

    var text: String {
        "Dataset \(name): \(classes) members, \(crops) crops (roster \(roster), preset \(preset), \(detector), seed \(seed))\n"
            + "Split: train \(train) (x9 augmented = \(augmentedTrain)), validation \(validation), test \(test)"
    }

    var line: String {
        "\(name)  \(preset)  \(classes) members  train \(train) (x9 \(augmentedTrain))  val \(validation)  test \(test)  \(photoRoot)"
    }
}
