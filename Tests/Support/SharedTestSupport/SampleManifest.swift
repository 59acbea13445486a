import Foundation
import FaceKit

/// A manifest for tests; the values are arbitrary but complete.
public func sampleManifest(_ info: BackendInfo, classes: [String] = ["a", "b", "c"], fingerprint: String = "sha256:test") -> ModelManifest {
    ModelManifest(backend: .init(info), classes: classes, roster: "test-roster",
                  memberGroups: ["a": ["G1"], "b": ["G1", "G2"], "c": ["G2"]], preset: "original", inputScale: 1,
                  hyperParameters: ["pool": .number(8)], training: TrainingPreset.original.configuration(seed: 1),
                  history: [EpochRecord(epoch: 1, loss: 1.5, accuracy: 0.4, valLoss: 1.4, valAccuracy: 0.5, lr: 0.01, seconds: 0.1)],
                  stop: "completed", testMetrics: nil, datasetFingerprint: fingerprint,
                  createdAt: Date(timeIntervalSince1970: 1_790_000_000))
}
