/// The scores one estimator has given, each architecture (in canonical form) once, in the order they came: the
/// memory that keeps a search from sending an architecture to the same estimator twice, and the search's trials.
/// An estimator that changes (an MLP refitted during the search) starts a new generation: the scores before it stay
/// as trials but no longer answer `score(of:)`.
public struct ScoreTable: Sendable {
    /// One scored architecture: its score, its spread where the estimator gave one, the iteration that asked for it
    /// and its constraint values then.
    public struct Entry: Sendable, Equatable {
        /// The architecture, canonical.
        public let architecture: Architecture
        /// Its score.
        public let score: Double
        /// How uncertain the score is (a standard deviation, in score units), when the estimator said: an LLM
        /// estimator's spread over its samples or digit distribution, or a host's `tell` with spreads.
        public let spread: Double?
        /// The iteration whose population held it.
        public let iteration: Int
        /// Its constraint values, in the config's order.
        public let constraintValues: [Double]
        /// When it went to the estimator and when its score came back (`WallClock` seconds); nil in trials read from
        /// a 1.0 checkpoint, which had no times.
        public let started: Double?
        public let completed: Double?

        /// An entry from its parts.
        public init(
            architecture: Architecture, score: Double, spread: Double? = nil, iteration: Int,
            constraintValues: [Double], started: Double? = nil, completed: Double? = nil
        ) {
            self.architecture = architecture
            self.score = score
            self.spread = spread
            self.iteration = iteration
            self.constraintValues = constraintValues
            self.started = started
            self.completed = completed
        }
    }

    /// The scored architectures, oldest first.
    public private(set) var entries: [Entry] = []
    /// The first entry of the current generation.
    public private(set) var generationStart = 0
    private var position: [Architecture: Int] = [:]

    /// An empty table.
    public init() {}

    /// The entries of the current generation.
    public var currentEntries: ArraySlice<Entry> { entries[generationStart...] }

    /// Starts a new generation: the scores so far are kept as trials only.
    public mutating func startGeneration() {
        generationStart = entries.count
        position = [:]
    }

    /// The score of a canonical architecture, if it has one.
    public func score(of canonical: Architecture) -> Double? { position[canonical].map { entries[$0].score } }

    /// The spread of a canonical architecture's score, if it has a score with a spread.
    public func spread(of canonical: Architecture) -> Double? { position[canonical].flatMap { entries[$0].spread } }

    /// Records the score of a canonical architecture not yet in the table.
    public mutating func record(_ entry: Entry) {
        guard position[entry.architecture] == nil else { return }
        position[entry.architecture] = entries.count
        entries.append(entry)
    }

    /// A table from checkpointed entries whose current generation starts at `generationStart`.
    init(restoring entries: [Entry], generationStart: Int) {
        self.entries = entries
        self.generationStart = generationStart
        for (i, entry) in entries.enumerated().dropFirst(generationStart) where position[entry.architecture] == nil {
            position[entry.architecture] = i
        }
    }

    /// How many architectures the estimator has scored: its calls.
    public var count: Int { entries.count }
}
