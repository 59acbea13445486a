import Foundation

/// Images and labels ready for a backend's batch source: `count` square RGB images, NHWC,
/// uint8 0-255 (the write-up feeds raw 0-255 values; scaling is the backend's preprocessing),
/// each with a content key (`SampleKey`) that names the crop across runs.
public struct LabeledImages: Sendable, Equatable {
    public let spec: InputSpec
    /// `count * spec.bytes` bytes, image after image, rows packed, RGB.
    public var pixels: [UInt8] = []
    /// Class index per image (into `DatasetTensors.classes`).
    public var labels: [Int32] = []
    /// Two words per image.
    public var keys: [UInt64] = []

    public init(spec: InputSpec = .legacy) { self.spec = spec }

    public var count: Int { labels.count }

    public func image(at index: Int) -> RGBImage {
        let size = spec.bytes
        return RGBImage(width: spec.side, height: spec.side, pixels: Array(pixels[(index * size)..<((index + 1) * size)]))
    }

    /// The same images as a backend `SampleSource`.
    public func samples() throws -> InMemorySamples {
        try InMemorySamples(pixels: pixels, labels: labels, imageBytes: spec.bytes, keys: keys)
    }

    mutating func append(_ image: RGBImage, label: Int, key: SampleKey) {
        precondition(image.width == spec.side && image.height == spec.side)
        pixels += image.pixels
        labels.append(Int32(label))
        keys += [key.high, key.low]
    }
}

/// A dataset's three parts as tensors. Training images are augmented (9 per crop, the write-up's
/// order per crop); validation and test are the plain crops.
public struct DatasetTensors: Sendable {
    /// Member ids in label order, and their display names.
    public var classes: [String]
    public var classNames: [String]
    public var train: LabeledImages
    public var validation: LabeledImages
    public var test: LabeledImages
    public var preset: DatasetPreset

    /// What the training loop should validate on: the validation part, or for `original` (which
    /// has none) the test set, as the write-up's `validation_data=(X_test, y_test)` did.
    public var validationOrTest: LabeledImages { validation.count > 0 || preset == .recommended ? validation : test }
}

extension DatasetManifest {
    /// Reads the crops `spec` asks for from the face cache (making them from the photos the
    /// first time a spec is used) and augments the training part.
    public func tensors(storage: DatasetStorage, augment: Bool = true, spec: InputSpec = .legacy) throws -> DatasetTensors {
        let extractor = FaceExtractor(source: FaceSource(cacheKey: faceSource, detectorName: detector, makeDetector: nil), storage: storage)
        var augmentation = Augmentation()
        augmentation.size = spec.side
        var parts: [SplitPart: LabeledImages] = [.train: LabeledImages(spec: spec), .validation: LabeledImages(spec: spec),
                                                  .test: LabeledImages(spec: spec)]
        let root = URL(fileURLWithPath: photoRoot, isDirectory: true)
        // Crops of one photo share one cache entry: read each entry once.
        var cropsByPhoto: [String: [CropID: RGBImage]] = [:]
        for sample in samples {
            if cropsByPhoto[sample.crop.photoHash] == nil {
                cropsByPhoto[sample.crop.photoHash] = try cachedCrops(photoHash: sample.crop.photoHash, extractor: extractor, spec: spec,
                                                                      photo: root.appendingPathComponent(sample.photo))
            }
            guard let crop = cropsByPhoto[sample.crop.photoHash]?[sample.crop] else {
                throw DatasetError("crop \(sample.crop) of \(sample.photo) is not in the face cache; run `tribelens-cli dataset build` again")
            }
            if sample.split == .train && augment {
                for (variant, image) in try augmentation.augment(crop).enumerated() {
                    parts[sample.split]!.append(image, label: sample.label, key: SampleKey(source: faceSource, crop: sample.crop, spec: spec, variant: variant + 1))
                }
            } else {
                parts[sample.split]!.append(crop, label: sample.label, key: SampleKey(source: faceSource, crop: sample.crop, spec: spec, variant: 0))
            }
        }
        let names = classes.map { id in roster.member(id: id).map { $0.ja } ?? id }
        return DatasetTensors(classes: classes, classNames: names, train: parts[.train]!, validation: parts[.validation]!,
                              test: parts[.test]!, preset: preset)
    }

    private func cachedCrops(photoHash: String, extractor: FaceExtractor, spec: InputSpec, photo: URL) throws -> [CropID: RGBImage] {
        guard let faces = extractor.cachedFaces(contentHash: photoHash) else {
            throw DatasetError("photo \(photoHash) is not in the face cache; run `tribelens-cli dataset build` again")
        }
        let crops = try extractor.crops(of: faces, spec: spec, photo: photo)
        return Dictionary(zip(faces.faces.map { CropID(photoHash: photoHash, box: $0) }, crops), uniquingKeysWith: { a, _ in a })
    }
}
