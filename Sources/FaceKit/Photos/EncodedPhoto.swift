import Foundation

/// A photo file read once (`PhotoLoader.open`): its header and bytes, so that detection's
/// reduced decode and the crops' full-size regions (`PhotoRegions`) read the file only once.
public struct EncodedPhoto: Sendable {
    public let url: URL
    public let header: ImageHeader
    public let data: Data
}
