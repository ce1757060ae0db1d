/// A whole-space Gaussian-process screen that a host drives from a loop of its own (an Optuna sampler, a C++
/// framework's ask and tell): told every score so far, it proposes the best architectures of the space that are
/// neither scored nor excluded, by the same pool and scoring as a search's whole-space cascade with a `"gp"` screen.
/// It holds nothing but what follows from its config and the scores it is told (the pool; the Cholesky factor of
/// the scores' covariance, grown while they only grow; the text of the last list of scores, read from where the next
/// one differs), so processes told the same scores propose the same architectures. One thread at a time.
public final class SpaceScreen {
    /// How a screen is made: `{"seed", "sample", "exploration", "higher_is_better"}`.
    public struct Config: Sendable {
        /// Seeds the pool's draw and order.
        public var seed: UInt64 = 0
        /// The most architectures the pool holds (the space is enumerated when it has at most this many gene vectors).
        public var sample = Cascade.defaultSpaceSample
        /// Posterior standard deviations added to the mean (subtracted when lower is better).
        public var exploration = EstimatorSpec.defaultExploration
        /// Whether a higher score is better.
        public var higherIsBetter = true

        /// The defaults.
        public init() {}

        /// Reads the config object; absent keys keep their defaults, unknown keys are refused.
        public init(json: JSONValue?) throws(LLMNASError) {
            guard let json else { return }
            let r = try JSONObjectReader(
                json, context: "screen config", allowed: ["seed", "sample", "exploration", "higher_is_better"],
                kind: .invalidArgument)
            seed = UInt64(try r.int("seed", in: 0...Int.max) ?? 0)
            sample = try r.int("sample", in: 1...Cascade.maximumSpaceSample) ?? sample
            exploration = try r.number("exploration", in: 0...100) ?? exploration
            higherIsBetter = try r.bool("higher_is_better") ?? higherIsBetter
        }
    }

    /// One proposed architecture with the screen's optimistic score and, where computed, its spread.
    public struct Proposal: Sendable {
        /// The architecture, canonical.
        public let architecture: Architecture
        /// The posterior mean plus (or, lower being better, minus) `exploration` deviations, in score units.
        public let score: Double
        /// The posterior standard deviation in score units, when it was computed.
        public let spread: Double?
    }

    /// The space proposed from.
    public let space: SearchSpace
    /// How the screen was made.
    public let config: Config
    private let scoring: GaussianProcessScreen
    private var pool: SpacePool
    private var told = ScoredText()

    /// A screen of `space` whose prior mean is `prior`'s predictions (as a `"gp"` screen's `prior`), if given; the
    /// pool is drawn now.
    public init(space: SearchSpace, config: Config, prior: MLP? = nil) throws(LLMNASError) {
        if let prior, prior.inputCount != space.featureCount {
            throw LLMNASError(
                .invalidArgument,
                "the prior takes \(prior.inputCount) features; space '\(space.name)' has \(space.featureCount)")
        }
        self.space = space
        self.config = config
        scoring = GaussianProcessScreen(
            space: space, exploration: config.exploration, higherIsBetter: config.higherIsBetter, prior: prior)
        pool = try SpacePool(
            space: space, sample: config.sample, seed: config.seed, withFeatures: prior != nil,
            admitted: { _ in [] })
    }

    /// How many architectures the pool holds.
    public var poolSize: Int { pool.members.count }

    /// Whether the pool is the whole space rather than a sample of it.
    public var enumeratesSpace: Bool { pool.enumerated }

    /// `choose(scored:excluding:count:)` with the scores given as the JSON text of a list of demonstrations (any
    /// scale): a text that repeats the beginning of the one before, as a host appending scores sends, is read from
    /// where the two part.
    public func choose(scoredJSON text: String, excluding excluded: [Architecture], count: Int) throws(LLMNASError)
        -> [Proposal]
    {
        try choose(scored: told.demonstrations(of: text, in: space), excluding: excluded, count: count)
    }

    /// The best `count` architectures of the pool that are neither among `scored` nor `excluded` (e.g. those being
    /// evaluated), best first; fewer when fewer are left. `scored` should list the scores in the order they came, so
    /// that the agreements computed for the earlier ones are reused.
    public func choose(scored: [Demonstration], excluding excluded: [Architecture], count: Int) throws(LLMNASError)
        -> [Proposal]
    {
        guard count >= 1 else { throw LLMNASError(.invalidArgument, "count must be at least 1, not \(count)") }
        let trained = scored.map { space.canonical($0.architecture) }
        let rows = pool.rows(excluding: trained + excluded.map(space.canonical))
        let candidates = try ScreenCandidates(
            pool: pool, rows: rows, children: [], withFeatures: scoring.prior != nil, space: space)
        guard !rows.isEmpty else { return [] }
        let keep = min(count, rows.count)
        let (kept, scores, spreads) = try scoring.scores(
            candidates, pool: &pool, trained: trained, y: scored.map(\.score), keep: keep)
        let sign = config.higherIsBetter ? 1.0 : -1.0
        // Best first; ties in pool order, which the seed drew (`kept` is in pool order).
        let order = GaussianProcessScreen.best(keep, of: Array(kept.indices), by: scores.map { sign * $0 })
        return order.map {
            Proposal(architecture: candidates.member(kept[$0]).architecture, score: scores[$0], spread: spreads[$0])
        }
    }
}
