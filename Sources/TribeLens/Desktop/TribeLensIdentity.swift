/// Names shared by the app, the desktop file and the AppStream metainfo
/// (`Resources/io.github.tribelens.TribeLens.*`); keep them in step.
enum TribeLensIdentity {
    static let appID = "io.github.tribelens.TribeLens"
}
