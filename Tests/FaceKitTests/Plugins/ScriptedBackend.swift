import Foundation
import FaceKit
import TrainingMetrics

/// The fake backend the app logic is tested with: it does not learn, it replays a script of
/// losses and records how the session drives it (learning rates, seeds, batches).
final class ScriptedBackend: ModelBackend, @unchecked Sendable {
    struct Script {
        var trainLoss: [Double]
        var valLoss: [Double]
        var batchesPerEpoch = 4
        /// (epoch index, batch index) at which the running loss turns NaN.
        var nanAt: (epoch: Int, batch: Int)?
    }

    let info = BackendInfo(id: "scripted", version: "0", displayName: "Scripted", description: "test double")
    let script: Script
    private(set) var models: [ScriptedModel] = []

    init(_ script: Script) { self.script = script }

    func makeModel(_ configuration: ModelConfiguration) throws -> any BackendModel {
        let model = ScriptedModel(script: script, classCount: configuration.classCount)
        models.append(model)
        return model
    }

    func loadModel(from directory: URL, configuration: ModelConfiguration?) throws -> any BackendModel {
        let data = try Data(contentsOf: directory.appendingPathComponent("state.txt"))
        let model = ScriptedModel(script: script, classCount: 2)
        model.epochsTrained = Int(String(decoding: data, as: UTF8.self))!
        model.loadedFromSnapshot = true
        models.append(model)
        return model
    }
}

final class ScriptedModel: BackendModel {
    let script: ScriptedBackend.Script
    let classCount: Int
    var epochsTrained = 0
    var loadedFromSnapshot = false
    var learningRates: [Float] = []
    var shuffleSeeds: [UInt64] = []
    var batchesRun = 0

    init(script: ScriptedBackend.Script, classCount: Int) {
        self.script = script
        self.classCount = classCount
    }

    func trainEpoch(on source: any SampleSource, batchSize: Int, learningRate: Float, shuffleSeed: UInt64,
                    progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        let epoch = epochsTrained
        learningRates.append(learningRate)
        shuffleSeeds.append(shuffleSeed)
        let loss = script.trainLoss[epoch]
        for b in 0..<script.batchesPerEpoch {
            batchesRun += 1
            let running = script.nanAt.map { $0 == (epoch, b) } == true ? Double.nan : loss
            if !progress(BatchProgress(batchesDone: b + 1, batchesTotal: script.batchesPerEpoch,
                                       runningLoss: running, runningAccuracy: 0.5)) {
                throw BackendError(.cancelled, "cancelled")
            }
        }
        epochsTrained += 1
        return PassMetrics(loss: loss, accuracy: 0.5, samples: source.count)
    }

    func evaluate(on source: any SampleSource, batchSize: Int, progress: (BatchProgress) -> Bool) throws -> PassMetrics {
        PassMetrics(loss: script.valLoss[epochsTrained - 1], accuracy: 0.5, samples: source.count)
    }

    func predict(pixels: [UInt8], count: Int) throws -> [Float] {
        [Float](repeating: 1 / Float(classCount), count: count * classCount)
    }

    func save(to directory: URL) throws {
        try Data(String(epochsTrained).utf8).write(to: directory.appendingPathComponent("state.txt"))
    }
}
