/// What each detector needs beyond the decoded photo, for the decode budget (`DecodeBudget`).
/// Measured with `/usr/bin/time -v` on 10000x10000 photos (docs/reliability.md).
public enum DetectorMemory {
    /// The budget for photos a detector named `detectorName` (a `FaceDetector.name`) works on.
    public static func budget(detectorName: String, wholeImage: Bool = false) -> DecodeBudget {
        switch detectorName {
        case "haar-original":
            // Full-size detectMultiScale: every pyramid level at once with its integral images.
            return DecodeBudget(workBytesPerPixel: 48, workBytes: 32 << 20)
        case "yunet":
            // A BGR copy of the photo, then the network on at most 1280 px.
            return DecodeBudget(workBytesPerPixel: 3, workBytes: 320 << 20)
        case "already-cropped", "whole-image":
            // YuNet's landmarks (when asked for) on a copy with a 25% border.
            return wholeImage ? DecodeBudget(workBytesPerPixel: 12, workBytes: 320 << 20) : DecodeBudget()
        default:
            // haar-default: a grey copy, then the cascade on at most 1280 px.
            return DecodeBudget(workBytesPerPixel: 2, workBytes: 128 << 20)
        }
    }
}
