// One error type for the module: every message is a single line a user can act on.
public enum NeuralKitError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case shapeMismatch(String)
    case unknownParameter(String)
    case invalidWeightsFile(String)
    case backend(String)
    /// A training step's loss was not finite; the message says where.
    case diverged(String)
    /// A pass's `BatchCallback` asked to stop.
    case cancelled

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return "invalid network configuration: \(m)"
        case .shapeMismatch(let m): return "shape mismatch: \(m)"
        case .unknownParameter(let m): return "unknown parameter: \(m)"
        case .invalidWeightsFile(let m): return "invalid weights file: \(m)"
        case .backend(let m): return "compute backend error: \(m)"
        case .diverged(let m): return "training diverged: \(m)"
        case .cancelled: return "cancelled"
        }
    }
}
