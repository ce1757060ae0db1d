/// A member of a search's population: its genes (inactive layers kept, so evolution can reactivate them as HAT's
/// does) and the values of the search's constraints, in the config's order.
public struct SearchMember: Sendable, Equatable {
    /// The genes.
    public var architecture: Architecture
    /// One value per constraint of the config.
    public var constraintValues: [Double]
}

/// What one iteration of a search did: who scored it, how many new scores it cost, and the best member.
public struct IterationRecord: Sendable, Equatable {
    /// The iteration, from 0.
    public var iteration: Int
    /// The estimator that scored it.
    public var estimator: String
    /// Scores this iteration asked its estimator for (architectures it had not scored before).
    public var evaluated: Int
    /// The best member under this iteration's estimator.
    public var best: SearchMember
    /// Its score.
    public var bestScore: Double
    /// The mean score of the parents kept.
    public var parentMean: Double
    /// The population's size.
    public var populationSize: Int
}

/// Everything a search needs to continue exactly: saved in checkpoints.
public struct SearchState: Sendable {
    /// Whether the first population has been drawn.
    public var started = false
    /// The search's random generator.
    public var generator: SeededGenerator
    /// The iteration being scored; `iterations` once finished.
    public var iteration = 0
    /// The current population.
    public var population: [SearchMember] = []
    /// Per estimator of the config, the scores it has given.
    public var scores: [ScoreTable]
    /// Canonical architectures the current iteration waits on from its host estimator.
    public var pending: [Architecture] = []
    /// Scores the current iteration has asked for so far.
    public var evaluated = 0
    /// The record of every finished iteration.
    public var history: [IterationRecord] = []
    /// Every architecture (canonical) that was kept as a parent.
    public var parents: Set<Architecture> = []

    /// The state before the first population.
    init(config: SearchConfig) {
        generator = SeededGenerator(seed: config.seed)
        scores = [ScoreTable](repeating: ScoreTable(), count: config.estimators.count)
    }
}
