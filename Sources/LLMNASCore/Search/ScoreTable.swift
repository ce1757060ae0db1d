/// The scores one estimator has given, each architecture (in canonical form) once, in the order they came: the
/// memory that keeps a search from sending an architecture to the same estimator twice.
public struct ScoreTable: Sendable {
    /// The scored architectures and their scores, oldest first.
    public private(set) var entries: [(architecture: Architecture, score: Double)] = []
    private var position: [Architecture: Int] = [:]

    /// An empty table.
    public init() {}

    /// The score of a canonical architecture, if it has one.
    public func score(of canonical: Architecture) -> Double? { position[canonical].map { entries[$0].score } }

    /// Records the score of a canonical architecture not yet in the table.
    public mutating func record(_ canonical: Architecture, _ score: Double) {
        guard position[canonical] == nil else { return }
        position[canonical] = entries.count
        entries.append((canonical, score))
    }

    /// How many architectures the estimator has scored: its calls.
    public var count: Int { entries.count }
}
