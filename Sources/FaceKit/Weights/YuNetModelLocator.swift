import Foundation

/// Where TribeLens looks for the optional YuNet model when no path is given.
public enum YuNetModelLocator {
    /// The official file's name (what `weights fetch yunet` installs); a copy under any other
    /// name is found too, by its checksum.
    public static let fileName = KnownModelFile.yunetOfficial.fileName

    /// `$XDG_DATA_HOME/tribelens/weights/`, then `.../detectors/` (where it was documented first).
    public static var searchFolders: [URL] { FaceModelKind.yunet.searchFolders }

    /// The first YuNet file with a known SHA-256 in the search folders, whatever its name; nil
    /// when there is none (an unknown file there is never returned).
    public static func find() -> String? {
        (try? FaceModels.resolve(.yunet))?.path
    }
}
