import Foundation

/// Why a roster file was refused: one line naming the file, the key (or line) and the problem,
/// e.g. `my.json: members[3].groups[0]: unknown group "exlie"`.
public struct RosterError: Error, Equatable, CustomStringConvertible {
    public var source: String
    /// JSON key path such as `members[3].groups[0]`, or `line 7, column 3`; empty for the whole file.
    public var location: String
    public var problem: String

    public init(source: String, location: String, problem: String) {
        self.source = source; self.location = location; self.problem = problem
    }

    public var description: String {
        location.isEmpty ? "\(source): \(problem)" : "\(source): \(location): \(problem)"
    }
}
