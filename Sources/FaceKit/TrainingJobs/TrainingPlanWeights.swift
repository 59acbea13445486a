import Foundation

extension TrainingPlan {
    /// Points the plan's `weights` at a file the plugin may read in its process
    /// (`KerasWeightsImport`): the published VGG16 file itself, or the converted copy of any
    /// other .h5, converted now in a child process with a time and memory limit when it is new.
    /// A file that crashes or hangs the reader becomes a `Problem` naming it, not a dead app.
    /// Separate from `make`, which stays free of child processes and file reads.
    public mutating func isolateWeights(runner: IsolatedRun? = HelperExecutable.runner(HelperExecutable.converter),
                                        limits: IsolatedRun.Limits = KerasWeightsImport.defaultLimits) throws {
        guard case .string(let path)? = request.hyperParameters["weights"], path != "none" else { return }
        do {
            let safe = try KerasWeightsImport.safeFile(for: URL(fileURLWithPath: path), runner: runner, limits: limits)
            request.hyperParameters["weights"] = .string(safe.path)
        } catch {
            throw Problem(error.description)
        }
    }
}
