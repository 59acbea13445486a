import ArgumentParser
import FaceKit
import Foundation
import SafeFiles

/// `tribelens-cli dataset export`: a dataset's parts as NumPy `.npy` files, so a peer (the
/// write-up's Keras code) can train on exactly the same images, split and augmentation.
struct DatasetExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a dataset's train/validation/test images and labels as .npy files.")

    @Option(help: "Dataset name.") var name: String
    @Option(help: "Folder to write x_train.npy, y_train.npy, ... into (created).") var out: String
    @Flag(name: .customLong("no-augment"), help: "Export the plain training crops.") var noAugment = false

    func run() throws {
        let storage = DatasetStorage.standard
        let tensors = try DatasetStore(storage: storage).load(name: name).tensors(storage: storage, augment: !noAugment)
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (part, images) in [("train", tensors.train), ("validation", tensors.validation), ("test", tensors.test)] {
            try NPY.write(images.pixels, shape: [images.count, 64, 64, 3], dtype: "|u1", to: folder.appendingPathComponent("x_\(part).npy"))
            let labels = images.labels.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
            try NPY.write(labels, shape: [images.count], dtype: "<i4", to: folder.appendingPathComponent("y_\(part).npy"))
            Console.error("\(part): \(images.count) images")
        }
        let classes = try JSONSerialization.data(withJSONObject: tensors.classes)
        try AtomicFile.write(classes, to: folder.appendingPathComponent("classes.json"))
    }
}
