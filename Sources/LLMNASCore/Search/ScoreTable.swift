/// The scores one estimator has given, each architecture (in canonical form) once, in the order they came: the
/// memory that keeps a search from sending an architecture to the same estimator twice, and the search's trials.
public struct ScoreTable: Sendable {
    /// One scored architecture: its score, the iteration that asked for it and its constraint values then.
    public struct Entry: Sendable, Equatable {
        /// The architecture, canonical.
        public let architecture: Architecture
        /// Its score.
        public let score: Double
        /// The iteration whose population held it; nil in checkpoints written before trials were recorded.
        public let iteration: Int?
        /// Its constraint values, in the config's order (empty in such older checkpoints).
        public let constraintValues: [Double]
    }

    /// The scored architectures, oldest first.
    public private(set) var entries: [Entry] = []
    private var position: [Architecture: Int] = [:]

    /// An empty table.
    public init() {}

    /// The score of a canonical architecture, if it has one.
    public func score(of canonical: Architecture) -> Double? { position[canonical].map { entries[$0].score } }

    /// Records the score of a canonical architecture not yet in the table.
    public mutating func record(_ entry: Entry) {
        guard position[entry.architecture] == nil else { return }
        position[entry.architecture] = entries.count
        entries.append(entry)
    }

    /// How many architectures the estimator has scored: its calls.
    public var count: Int { entries.count }
}
