import Foundation

/// One line of the history, like a Keras `History` entry.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// 1-based, as Keras prints it.
    public var epoch: Int
    public var loss: Double
    public var accuracy: Double
    public var valLoss: Double?
    public var valAccuracy: Double?
    /// The learning rate this epoch trained with.
    public var lr: Double
    public var seconds: Double

    public init(epoch: Int, loss: Double, accuracy: Double, valLoss: Double?, valAccuracy: Double?, lr: Double, seconds: Double) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.valLoss = valLoss
        self.valAccuracy = valAccuracy
        self.lr = lr
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case epoch, loss, accuracy, lr, seconds
        case valLoss = "val_loss", valAccuracy = "val_accuracy"
    }

    /// Keras-like progress line, e.g. "Epoch 3/50 - 1.2s - loss: 2.1 - accuracy: 0.31 - ...".
    public func line(of total: Int) -> String {
        var parts = ["Epoch \(epoch)/\(total)", String(format: "%.1fs", seconds),
                     String(format: "loss: %.4f", loss), String(format: "accuracy: %.4f", accuracy)]
        if let valLoss { parts.append(String(format: "val_loss: %.4f", valLoss)) }
        if let valAccuracy { parts.append(String(format: "val_accuracy: %.4f", valAccuracy)) }
        parts.append(String(format: "lr: %.3g", lr))
        return parts.joined(separator: " - ")
    }
}
