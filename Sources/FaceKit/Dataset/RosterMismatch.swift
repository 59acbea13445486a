import Foundation

/// Photo folders that match no member of the chosen roster: found before any face is searched,
/// so Find Faces can stop and say so instead of reporting zero faces as a success.
public struct RosterMismatch: Sendable, Equatable {
    /// The sub-folders matching no member, in the scan's (sorted) order.
    public var unmatchedFolders: [String]
    /// How many sub-folders did match a member.
    public var matchedFolders: Int
    /// Every sub-folder, matched or not: what a roster made from the folder names would list.
    public var allFolders: [String]

    /// nil when every sub-folder matches a member (or there are none: an empty photo root is
    /// another problem, said elsewhere).
    public init?(_ photos: PhotoImport) {
        guard !photos.unmatchedFolders.isEmpty else { return nil }
        unmatchedFolders = photos.unmatchedFolders
        matchedFolders = photos.memberFolders.count
        allFolders = (photos.unmatchedFolders + photos.memberFolders.map(\.folderName)).sorted()
    }

    /// No folder matches: nothing could be trained with this roster.
    public var isTotal: Bool { matchedFolders == 0 }

    /// The first `limit` unmatched names and how many more there are, for a message.
    public func named(limit: Int = 8) -> (names: [String], more: Int) {
        (Array(unmatchedFolders.prefix(limit)), max(0, unmatchedFolders.count - limit))
    }
}
