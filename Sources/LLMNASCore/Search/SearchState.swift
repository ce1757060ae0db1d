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
    /// What its cascade did, if it had one.
    public var cascade: CascadeRecord? = nil
    /// The best member under this iteration's estimator.
    public var best: SearchMember
    /// Its score.
    public var bestScore: Double
    /// The mean score of the parents kept.
    public var parentMean: Double
    /// The population's size.
    public var populationSize: Int
}

/// What the cascade of one iteration did.
public struct CascadeRecord: Sendable, Equatable {
    /// The screening estimator.
    public var screen: String
    /// Distinct candidates in the pool (those the estimator had scored already left out).
    public var pool: Int
    /// Scores the screen was asked for (pool members it had not scored before in its current generation).
    public var screened: Int
    /// Candidates that went on to the iteration's estimator, by screen score and by spread together.
    public var kept: Int
    /// Of those, the ones that went on for the width of their spread (`keep_uncertain`).
    public var uncertain: Int
}

/// One refit of an MLP estimator during a search.
public struct RefitRecord: Sendable, Equatable {
    /// The iteration it ran before.
    public var iteration: Int
    /// The refitted estimator.
    public var estimator: String
    /// The estimator whose scores it learnt.
    public var on: String
    /// Initial labels trained on (those without a score of `on`).
    public var labels: Int
    /// Scores of `on` trained on.
    public var scores: Int
    /// The training's last loss, in score units.
    public var finalTrainLoss: Double
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
    /// The current iteration's candidates awaiting its cascade's screen (empty once it has chosen).
    public var pool: [SearchMember] = []
    /// Canonical architectures the current iteration waits on from a host estimator (its screen while `pool` is not
    /// empty).
    public var pending: [Architecture] = []
    /// When the pending candidates were first asked for (`WallClock` seconds): their trials' start.
    public var pendingSince: Double?
    /// Scores the current iteration has asked its estimator for so far.
    public var evaluated = 0
    /// Scores the current iteration has asked its screen for.
    public var screened = 0
    /// The current iteration's cascade record, once its screen has chosen.
    public var cascade: CascadeRecord?
    /// Every refit so far.
    public var refits: [RefitRecord] = []
    /// The latest model of each refitted MLP estimator, by name.
    public var refitted: [String: MLP] = [:]
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
