import Foundation
import FaceKit

/// A model trained on the synthetic faces (the C test plugin) and photos made of those faces:
/// prediction from a photo without real faces, for FaceKit's and the CLI's prediction tests.
public enum PredictionFixtures {
    public static let classes = ["TAKAHIRO", "AKIRA", "NAOTO", "RYUJI"]
    public static let groups = ["TAKAHIRO": ["EXILE"], "AKIRA": ["EXILE"], "NAOTO": ["EXILE", "3JSB"], "RYUJI": ["3JSB"]]

    /// A model that tells the four synthetic classes apart, and its manifest.
    public static func trainedPredictor(threshold: Double = 0.5) throws -> (FacePredictor, PluginBackend, ModelManifest, any BackendModel) {
        let backend = try TestPlugins.linear()
        let model = try backend.makeModel(ModelConfiguration(classCount: 4, seed: 1, inputScale: 1.0 / 255))
        let train = try SyntheticFaces.make(classes: 4, perClass: 25, seed: 1)
        for epoch in 0..<8 {
            _ = try model.trainEpoch(on: train, batchSize: 16, learningRate: 0.05, shuffleSeed: UInt64(epoch)) { _ in true }
        }
        var manifest = sampleManifest(backend.info, classes: classes)
        manifest.memberGroups = groups
        manifest.preprocessing = ["detector": .string("already-cropped")]
        return (try FacePredictor(manifest: manifest, model: model, policy: PredictionPolicy(threshold: threshold)), backend, manifest, model)
    }

    /// Two synthetic faces (class `left` and `right`) side by side in a 128x64 photo.
    public static func photo(left: Int, right: Int) throws -> RGBImage {
        let faces = try SyntheticFaces.make(classes: 4, perClass: 1, seed: 77)
        var pixels = [UInt8](repeating: 0, count: 128 * 64 * 3)
        for (slot, k) in [left, right].enumerated() {
            for y in 0..<64 {
                for x in 0..<64 {
                    for c in 0..<3 {
                        pixels[(y * 128 + slot * 64 + x) * 3 + c] = faces.pixels[k * ImageLayout.bytes + (y * 64 + x) * 3 + c]
                    }
                }
            }
        }
        return RGBImage(width: 128, height: 64, pixels: pixels)
    }
}
