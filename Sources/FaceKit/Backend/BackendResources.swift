import Foundation

/// What the host hands a plugin besides its own hyper-parameters: the model files it names,
/// located and checked here (plugins never search the user's folders), and its cache folder.
/// Used when a model is made and whenever a saved one is loaded again, so a model file that
/// moved is found again.
public enum BackendResources {
    /// `$XDG_CACHE_HOME/tribelens/plugins/<id>`: derived data only that plugin reads.
    public static func cacheDirectory(for backend: BackendInfo) -> URL {
        AppPaths.cacheHome.appendingPathComponent("plugins", isDirectory: true).appendingPathComponent(backend.id, isDirectory: true)
    }

    /// Does `backend` run the SFace network (an `sface_model` key in its defaults)?
    public static func usesSFace(_ backend: BackendInfo) -> Bool {
        (try? JSONValue.parseObject(backend.defaultHyperParametersJSON))?["sface_model"] != nil
    }

    /// `hyper` with `sface_model` made an absolute path of a checked file and
    /// `sface_model_sha256` set. "auto" (or a saved path that no longer holds a known file)
    /// searches the weights folder; `path` names a file explicitly.
    public static func resolveModelFiles(_ hyper: [String: JSONValue], path: String? = nil,
                                         allowUnverified: Bool = false) throws -> [String: JSONValue] {
        guard case .string(let stated)? = hyper["sface_model"] else { return hyper }
        var resolved = hyper
        let file: URL
        if let path {
            file = try FaceModels.resolve(.sface, path: path, allowUnverified: allowUnverified)
        } else if stated.hasPrefix("/"), FaceModels.identify(URL(fileURLWithPath: stated))?.kind == .sface {
            file = URL(fileURLWithPath: stated)
        } else {
            file = try FaceModels.resolve(.sface)
        }
        resolved["sface_model"] = .string(file.path)
        resolved["sface_model_sha256"] = .string((try? FaceModels.sha256(ofFile: file)) ?? "")
        return resolved
    }

    /// The configuration to load a saved model with: its hyper-parameters, files resolved now.
    public static func loadConfiguration(backend: BackendInfo, hyperParameters: [String: JSONValue]) throws -> ModelConfiguration {
        ModelConfiguration(classCount: 0, hyperParametersJSON: JSONValue.object(try resolveModelFiles(hyperParameters)).jsonText,
                           cacheDirectory: cacheDirectory(for: backend))
    }
}
