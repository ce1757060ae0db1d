/// A cascade inside the iterations of a schedule entry: the children are bred `pool` times as many (the first
/// population sampled `pool` times as large), a cheaper `screen` estimator scores them all, and only the best it
/// finds (a fraction or a count) join the population the entry's own estimator scores. Parents are ranked by the
/// entry's estimator alone, so scores of different estimators are never compared with each other. With
/// `keepUncertain`, the candidates the screen is least sure of (the widest spread among those not kept by score) go
/// on as well: the expensive estimator then also settles what the screen could not decide. A whole-space cascade
/// (`"pool": "space"`) screens the whole space instead (see `SpacePool`), with the iteration's children added when
/// the space is too large to enumerate; its screen is built in (an MLP or a Gaussian process) and its scores of the
/// pool are not kept as trials.
public struct Cascade: Sendable, Equatable {
    /// How many screened candidates go on to the entry's estimator.
    public enum Keep: Sendable, Equatable {
        /// This share of the screened candidates, rounded up (at least one).
        case fraction(Double)
        /// The best this many (all of them when fewer were screened).
        case best(Int)
    }

    /// The largest pool factor.
    public static let maximumPool = 100.0
    /// The default and largest `sample` of a whole-space cascade.
    public static let defaultSpaceSample = 100_000
    public static let maximumSpaceSample = 1_000_000
    /// How many candidates a whole-space cascade sends on by default.
    public static let defaultSpaceKeep = 10

    /// The index of the screening estimator in the config's list.
    public let screen: Int
    /// How many times as many candidates are drawn as the iteration would draw without a cascade (1 for a
    /// whole-space cascade, whose children, when it has any, are as many as without a cascade).
    public let pool: Double
    /// For a whole-space cascade, the most architectures its pool holds: the whole space when its gene vectors
    /// number at most this many, else this many drawn once from the search's seed. Nil for a pool of children.
    public let spaceSample: Int?
    /// Which of them go on by their screen score.
    public let keep: Keep
    /// How many more go on for the width of their screen score's spread (0: none).
    public let keepUncertain: Int

    /// The size of a pool standing for `count` candidates of an iteration without a cascade.
    public func poolSize(for count: Int) -> Int { Int((pool * Double(count)).rounded()) }

    /// How many of `screened` candidates go on.
    public func kept(of screened: Int) -> Int {
        switch keep {
        case .fraction(let share): min(screened, max(1, Int((share * Double(screened)).rounded(.up))))
        case .best(let count): min(screened, count)
        }
    }

    /// Reads `{"screen", "pool", "sample", "keep" | "keep_best", "keep_uncertain"}` of a schedule entry whose
    /// estimator has index `scored`; `"pool"` is a factor or `"space"`.
    init(json: JSONValue, context: String, estimators: [EstimatorSpec], scored: Int) throws(LLMNASError) {
        let context = "\(context): cascade"
        let r = try JSONObjectReader(
            json, context: context, allowed: ["screen", "pool", "sample", "keep", "keep_best", "keep_uncertain"],
            kind: .invalidArgument)
        let name = try r.requiredString("screen")
        guard let screen = estimators.firstIndex(where: { $0.name == name }) else {
            throw LLMNASError(.invalidArgument, "\(context): unknown screen estimator '\(name)'")
        }
        guard screen != scored else {
            throw LLMNASError(
                .invalidArgument,
                "\(context): the screen '\(name)' is the entry's own estimator; a cascade screens with another")
        }
        self.screen = screen
        keepUncertain = try r.int("keep_uncertain", in: 0...SearchConfig.maximumPopulation) ?? 0
        if keepUncertain > 0, case .mlp = estimators[screen].kind {
            throw LLMNASError(
                .invalidArgument,
                "\(context): 'keep_uncertain' needs a screen that reports a spread (an LLM estimator, or a host "
                    + "telling spreads); MLP '\(name)' gives none"
            )
        }
        if r.value("pool") == .string("space") {
            pool = 1
            spaceSample =
                try r.int("sample", in: 1...Cascade.maximumSpaceSample) ?? Cascade.defaultSpaceSample
            switch estimators[screen].kind {
            case .mlp, .gaussianProcess: break
            case .host, .llm:
                throw LLMNASError(
                    .invalidArgument,
                    "\(context): a whole-space pool needs a built-in screen (an MLP or a Gaussian process); "
                        + "'\(name)' would be asked to score the whole space")
            }
        } else {
            if r.value("sample") != nil {
                throw LLMNASError(.invalidArgument, "\(context): 'sample' applies to \"pool\": \"space\" only")
            }
            pool = try r.number("pool", in: 1...Cascade.maximumPool) ?? 4
            spaceSample = nil
            if case .gaussianProcess = estimators[screen].kind {
                throw LLMNASError(
                    .invalidArgument,
                    "\(context): Gaussian-process screen '\(name)' scores the whole space: give \"pool\": \"space\"")
            }
        }
        switch (try r.number("keep", in: 0...1), try r.int("keep_best", in: 1...SearchConfig.maximumPopulation)) {
        case (let share?, nil):
            guard share > 0 else { throw LLMNASError(.invalidArgument, "\(context): 'keep' must be above 0") }
            keep = .fraction(share)
        case (nil, let count?): keep = .best(count)
        case (nil, nil): keep = spaceSample == nil ? .fraction(1 / pool) : .best(Cascade.defaultSpaceKeep)
        default: throw LLMNASError(.invalidArgument, "\(context): give at most one of 'keep' and 'keep_best'")
        }
    }
}
