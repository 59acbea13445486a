import CVision
public enum FaceKitInfo { public static let appID = "io.github.tribelens.TribeLens" }
