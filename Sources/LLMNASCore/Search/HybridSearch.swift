/// HS-NAS (Jawahar et al., 2024) on HAT's evolutionary search (Wang et al., 2020): each iteration scores the
/// population with the estimator its schedule names, keeps the best as parents, and breeds the next population by
/// mutation and crossover, admitting a child only when every constraint holds. Built-in estimators (an MLP, an LLM)
/// score inside the search; a host estimator's candidates go out through `ask` and come back through `tell`.
/// An architecture an estimator has scored is never sent to it again. One thread at a time.
public final class HybridSearch {
    /// A host callback's value for an architecture (a host constraint).
    public typealias HostValue = (Architecture) throws(LLMNASError) -> Double

    /// The space searched (with its host cost once bound).
    public private(set) var space: SearchSpace
    /// How the search runs.
    public let config: SearchConfig
    /// Everything needed to continue; saved in checkpoints.
    public internal(set) var state: SearchState
    /// MLPs by estimator name and by constraint name.
    private var estimatorModels: [String: MLP] = [:]
    private var constraintModels: [String: MLP] = [:]
    private var predictors: [String: LLMPPPredictor] = [:]
    private var hostConstraints: [String: HostValue] = [:]
    /// The pools of whole-space cascades by their `sample`, drawn when first needed (again after a resume: they
    /// follow from the config alone).
    var spacePools: [Int: SpacePool] = [:]

    /// A search that has drawn nothing yet; models named by file or built-in name in the config are loaded now.
    public init(space: SearchSpace, config: SearchConfig) throws(LLMNASError) {
        self.space = space
        self.config = config
        state = SearchState(config: config)
        for estimator in config.estimators {
            if case .mlp(let path?) = estimator.kind {
                estimatorModels[estimator.name] = try checkedModel(MLP.load(from: path), for: estimator.name)
            }
        }
        for constraint in config.constraints {
            guard case .latency(let predictor, let path) = constraint.kind else { continue }
            if let predictor {
                constraintModels[constraint.name] = try checkedModel(
                    LatencyPredictors.builtin(named: predictor), for: constraint.name)
            }
            if let path {
                constraintModels[constraint.name] = try checkedModel(MLP.load(from: path), for: constraint.name)
            }
        }
    }

    private func checkedModel(_ model: MLP, for name: String) throws(LLMNASError) -> MLP {
        guard model.inputCount == space.featureCount else {
            throw LLMNASError(
                .invalidArgument,
                "the model for '\(name)' takes \(model.inputCount) features; space '\(space.name)' has "
                    + "\(space.featureCount)"
            )
        }
        return model
    }

    // MARK: Binding what the config names

    /// Binds `model` to the MLP estimator or latency constraint called `name` that names no file or built-in.
    public func bind(model: MLP, to name: String) throws(LLMNASError) {
        let estimator = config.estimators.contains { $0.name == name && $0.awaitsModel }
        let constraint = config.constraints.contains { $0.name == name && $0.awaitsModel }
        guard estimator || constraint else {
            throw LLMNASError(
                .notFound, "the search config has no MLP estimator or latency constraint '\(name)' waiting for a model")
        }
        let checked = try checkedModel(model, for: name)
        if estimator { estimatorModels[name] = checked }
        if constraint { constraintModels[name] = checked }
    }

    /// Binds an LLM client to the LLM estimator called `name`.
    public func bind(client: LLMClient, to name: String) throws(LLMNASError) {
        guard let estimator = config.estimators.first(where: { $0.name == name }),
            case .llm(let task, let demonstrations) = estimator.kind
        else {
            throw LLMNASError(.notFound, "the search config has no LLM estimator '\(name)'")
        }
        predictors[name] = LLMPPPredictor(client: client, space: space, task: task, demonstrations: demonstrations)
    }

    /// Binds a host callback to the host constraint called `name`.
    public func bind(constraint name: String, _ value: @escaping HostValue) throws(LLMNASError) {
        guard config.constraints.contains(where: { $0.name == name && $0.isHost }) else {
            throw LLMNASError(.notFound, "the search config has no host constraint '\(name)'")
        }
        hostConstraints[name] = value
    }

    /// Binds `count` to the space's host cost model `name` (a resumed search needs it again).
    public func bind(cost name: String, _ count: @escaping HostCostModel.Count) throws(LLMNASError) {
        use(try space.binding(cost: name, count))
    }

    /// Binds `compute` to the space's host featurizer `name` (a resumed search needs it again).
    public func bind(featurizer name: String, _ compute: @escaping HostFeaturizer.Compute) throws(LLMNASError) {
        use(try space.binding(featurizer: name, compute))
    }

    /// Searches `bound` (the space with a host function bound) from now on, the LLM estimators bound before too.
    private func use(_ bound: SearchSpace) {
        space = bound
        for (name, predictor) in predictors {
            predictors[name] = LLMPPPredictor(
                client: predictor.client, space: space, task: predictor.builder.task,
                demonstrations: predictor.demonstrations)
        }
    }

    // MARK: Ask and tell

    /// Whether every iteration has been scored, or the host estimators have answered `max_expensive_calls`.
    public var isFinished: Bool { state.iteration >= config.iterations || expensiveCallsLeft == 0 }

    /// The scores the host estimators (the expensive ones) have answered.
    public var expensiveCalls: Int {
        zip(config.estimators, state.scores).reduce(0) { $0 + ($1.0.isHost ? $1.1.count : 0) }
    }

    /// The host scores `max_expensive_calls` still allows; nil without that bound.
    var expensiveCallsLeft: Int? { config.maxExpensiveCalls.map { max(0, $0 - expensiveCalls) } }

    /// The candidates the current iteration needs from a host estimator (its cascade's screen first, then its own)
    /// and that estimator's name; an empty list once the search is finished. Runs built-in estimators and breeding as
    /// far as it can first. Asking twice without a tell gives the same batch.
    public func ask() throws(LLMNASError) -> (candidates: [Architecture], estimator: String) {
        let countsCost = config.constraints.contains { $0.kind == .parameters || $0.kind == .flops }
        if countsCost, !isFinished, case .host(let model) = space.costModel { try model.boundFunction(in: space) }
        try advance()
        guard !isFinished else { return ([], "") }
        return (state.pending, config.estimators[pendingEstimator].name)
    }

    /// The estimator the pending candidates (or the next ones) are for: the cascade's screen while the pool awaits it.
    private var pendingEstimator: Int {
        if !state.pool.isEmpty, let cascade = config.schedule.cascadeOfIteration[state.iteration] {
            return cascade.screen
        }
        return config.schedule.estimatorOfIteration[state.iteration]
    }

    /// Takes the host's scores for the last `ask`, in its order, and moves on; the checkpoint written after that
    /// step (or after its failure) holds them. `spreads`, when given, says how uncertain each score is (a standard
    /// deviation, finite and not negative; a cascade's `keep_uncertain` reads it). A wrong count, a non-finite score
    /// or spread or a tell with nothing asked changes nothing.
    public func tell(_ scores: [Double], spreads: [Double]? = nil) throws(LLMNASError) {
        try checkTellCount(scores.count)
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw LLMNASError(.invalidArgument, "score \(bad) is \(scores[bad]); scores must be finite")
        }
        if let spreads {
            guard spreads.count == scores.count else {
                throw LLMNASError(.invalidArgument, "tell got \(spreads.count) spreads for \(scores.count) scores")
            }
            if let bad = spreads.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw LLMNASError(
                    .invalidArgument, "spread \(bad) is \(spreads[bad]); spreads must be finite and not negative")
            }
        }
        let estimator = pendingEstimator
        let constraints = constraintValuesOfCandidates()
        let times = (state.pendingSince, WallClock.now())
        for (i, architecture) in state.pending.enumerated() {
            record(architecture, scores[i], spread: spreads?[i], constraints, times, in: estimator)
        }
        countScores(scores.count)
        state.pending = []
        state.pendingSince = nil
        if expensiveCallsLeft == 0 {
            try finishWithinBudget()
            try saveCheckpoint()
        }
        try advance()
    }

    /// Checks that a tell of `count` scores answers a pending ask: the search is not finished, a batch was asked, and
    /// `count` is its size.
    public func checkTellCount(_ count: Int) throws(LLMNASError) {
        guard !isFinished else {
            throw LLMNASError(.invalidArgument, "the search is finished; there is nothing to tell")
        }
        guard !state.pending.isEmpty else {
            throw LLMNASError(.invalidArgument, "tell without a pending ask: call ask first")
        }
        guard count == state.pending.count else {
            throw LLMNASError(
                .invalidArgument, "tell got \(count) scores; the last ask handed out \(state.pending.count) candidates")
        }
    }

    /// Moves on until the current iteration waits for host scores or the search is finished, then checkpoints
    /// (also when a step fails, so the iterations finished before it are kept).
    private func advance() throws(LLMNASError) {
        guard state.pending.isEmpty, !isFinished else { return }
        do {
            try steps()
        } catch {
            try? saveCheckpoint()
            throw error
        }
        try saveCheckpoint()
    }

    private func steps() throws(LLMNASError) {
        if !state.started { try startPopulation() }
        while !isFinished {
            try refitDueModels()
            let estimator = config.schedule.estimatorOfIteration[state.iteration]
            if let cascade = config.schedule.cascadeOfIteration[state.iteration], cascade.spaceSample != nil {
                if state.cascade == nil { try chooseFromSpace(with: cascade) }
            } else if let cascade = config.schedule.cascadeOfIteration[state.iteration], !state.pool.isEmpty {
                // What the iteration's estimator has scored already would decide nothing new.
                let scored = state.scores[estimator]
                state.pool.removeAll { scored.score(of: space.canonical($0.architecture)) != nil }
                if !state.pool.isEmpty {
                    guard try score(state.pool, with: cascade.screen) else { return }
                }
                choose(with: cascade)
            }
            guard try score(state.population, with: estimator) else { return }
            try finishIteration()
        }
    }

    /// Scores the members `estimator` has not scored yet; false when they went out to the host as the pending ask.
    private func score(_ members: [SearchMember], with estimator: Int) throws(LLMNASError) -> Bool {
        var missing: [Architecture] = []
        var seen = Set<Architecture>()
        for member in members {
            let canonical = space.canonical(member.architecture)
            if state.scores[estimator].score(of: canonical) == nil, seen.insert(canonical).inserted {
                missing.append(canonical)
            }
        }
        guard !missing.isEmpty else { return true }
        if config.estimators[estimator].isHost {
            state.pending = Array(missing.prefix(expensiveCallsLeft ?? missing.count))
            state.pendingSince = WallClock.now()
            return false
        }
        // Scores that came back are kept even when others failed: the next ask asks only for the rest.
        let started = WallClock.now()
        let results = try builtinScores(missing, estimator: config.estimators[estimator])
        let constraints = constraintValuesOfCandidates()
        let times = (started, WallClock.now())
        var scored = 0
        for (architecture, result) in zip(missing, results) {
            guard case .success(let estimate) = result else { continue }
            record(architecture, estimate.score, spread: estimate.spread, constraints, times, in: estimator)
            scored += 1
        }
        countScores(scored)
        try BatchOutcome.check(results, what: "LLM estimator '\(config.estimators[estimator].name)'")
        return true
    }

    /// Adds `scores` new scores to the current iteration's count: its screen's while the pool awaits it, else its own.
    private func countScores(_ scores: Int) {
        if !state.pool.isEmpty { state.screened += scores } else { state.evaluated += scores }
    }

    /// Moves the best of the pool's distinct architectures under the cascade's screen into the population (see
    /// `keep`), by the scores the screen has just given them.
    private func choose(with cascade: Cascade) {
        let screen = config.estimators[cascade.screen]
        let table = state.scores[cascade.screen]
        // The screen has just scored every pool member; an unscored one (none) would rank last.
        let worst = screen.higherIsBetter ? -Double.infinity : .infinity
        let canonical = state.pool.map { space.canonical($0.architecture) }
        keep(
            state.pool, scores: canonical.map { table.score(of: $0) ?? worst },
            spreads: canonical.map { table.spread(of: $0) }, screened: state.screened, by: cascade)
        state.pool = []
    }

    /// Adds to the population the best of `candidates`' distinct architectures by their screen `scores`, and after
    /// them the `keepUncertain` of the rest whose `spreads` are widest (ties, and scores without a spread, in the
    /// candidates' order), and records the cascade. `distinct`, when given, says the candidates are distinct
    /// canonical architectures already, the best of that many that were screened.
    func keep(
        _ candidates: [SearchMember], scores: [Double], spreads: [Double?], screened: Int, by cascade: Cascade,
        distinct screenedDistinct: Int? = nil
    ) {
        let screen = config.estimators[cascade.screen]
        let ranked = scores.indices.sorted { a, b in
            scores[a] != scores[b] ? (screen.higherIsBetter ? scores[a] > scores[b] : scores[a] < scores[b]) : a < b
        }
        // A converged population breeds repeats: each architecture takes one place.
        var taken = Set<Architecture>()
        let distinct =
            screenedDistinct != nil
            ? ranked : ranked.filter { taken.insert(space.canonical(candidates[$0].architecture)).inserted }
        let kept = min(cascade.kept(of: screenedDistinct ?? distinct.count), distinct.count)
        let rest = distinct.dropFirst(kept).map { (index: $0, spread: spreads[$0] ?? 0) }
        let uncertain = rest.enumerated().sorted { a, b in
            a.element.spread != b.element.spread ? a.element.spread > b.element.spread : a.offset < b.offset
        }.prefix(cascade.keepUncertain).map(\.element.index)
        state.population += (distinct.prefix(kept) + uncertain).map { candidates[$0] }
        state.cascade = CascadeRecord(
            screen: screen.name, pool: screenedDistinct ?? distinct.count, screened: screened,
            kept: kept + uncertain.count,
            uncertain: uncertain.count)
    }

    /// The constraint values of the population's and the pool's members, by canonical architecture.
    private func constraintValuesOfCandidates() -> [Architecture: [Double]] {
        Dictionary(
            (state.population + state.pool).map { (space.canonical($0.architecture), $0.constraintValues) },
            uniquingKeysWith: { a, _ in a })
    }

    /// Records a score (and its spread, if it has one) of estimator `estimator` in the current iteration as a trial
    /// that went out and came back at `times`.
    private func record(
        _ canonical: Architecture, _ score: Double, spread: Double?, _ constraints: [Architecture: [Double]],
        _ times: (started: Double?, completed: Double), in estimator: Int
    ) {
        state.scores[estimator].record(
            ScoreTable.Entry(
                architecture: canonical, score: score, spread: spread, iteration: state.iteration,
                constraintValues: constraints[canonical] ?? [], started: times.started, completed: times.completed))
    }

    /// Scores from an MLP (without a spread) or an LLM estimator (with its spread), one result per architecture.
    private func builtinScores(_ architectures: [Architecture], estimator: EstimatorSpec) throws(LLMNASError)
        -> [Result<(score: Double, spread: Double?), LLMNASError>]
    {
        switch estimator.kind {
        case .mlp:
            return try boundModel(of: estimator.name).predict(architectures, in: space).map {
                .success((Double($0), nil))
            }
        case .llm:
            guard let predictor = predictors[estimator.name] else {
                throw LLMNASError(
                    .invalidArgument,
                    "LLM estimator '\(estimator.name)' has no client: bind one before the search reaches it")
            }
            return predictor.predictWithSpread(architectures).map { result in
                result.map { ($0.value, $0.standardDeviation) }
            }
        case .host:
            throw LLMNASError(.invalidArgument, "host estimator '\(estimator.name)' scores through ask and tell")
        case .gaussianProcess:
            throw LLMNASError(
                .invalidArgument, "Gaussian-process estimator '\(estimator.name)' screens whole-space cascades only")
        }
    }

    /// The model an MLP estimator scores with now: its latest refit, else the one bound or loaded.
    func model(of estimator: String) -> MLP? { state.refitted[estimator] ?? estimatorModels[estimator] }

    /// `model(of:)`, or the error that the search reached the MLP estimator before a model was bound to it.
    func boundModel(of estimator: String) throws(LLMNASError) -> MLP {
        guard let model = model(of: estimator) else {
            throw LLMNASError(
                .invalidArgument, "MLP estimator '\(estimator)' has no model: bind one before the search reaches it")
        }
        return model
    }

    // MARK: Constraints

    /// The constraint values of `architecture` in the config's order, stopping after the first one over its
    /// maximum (the rest are not computed).
    func constraintValues(_ architecture: Architecture) throws(LLMNASError) -> [Double] {
        var values: [Double] = []
        values.reserveCapacity(config.constraints.count)
        for constraint in config.constraints {
            let value = try self.value(of: constraint, for: architecture)
            values.append(value)
            if value > constraint.maximum { break }
        }
        return values
    }

    /// Whether constraint values from `constraintValues` show every constraint holding.
    func allHold(_ values: [Double]) -> Bool {
        values.count == config.constraints.count && zip(values, config.constraints).allSatisfy { $0 <= $1.maximum }
    }

    /// The constraint values of `architecture`, or nil when one exceeds its maximum.
    func admitted(_ architecture: Architecture) throws(LLMNASError) -> [Double]? {
        let values = try constraintValues(architecture)
        return allHold(values) ? values : nil
    }

    /// The constrained value of one architecture.
    func value(of constraint: SearchConstraint, for architecture: Architecture) throws(LLMNASError) -> Double {
        switch constraint.kind {
        case .latency:
            guard let model = constraintModels[constraint.name] else {
                throw LLMNASError(
                    .invalidArgument,
                    "latency constraint '\(constraint.name)' has no model: bind one before the search starts")
            }
            return Double(try model.predict([architecture], in: space)[0])
        case .parameters: return Double(try space.costModel!.counts(of: architecture, in: space).parameters)
        case .flops: return Double(try space.costModel!.counts(of: architecture, in: space).flops)
        case .host:
            guard let callback = hostConstraints[constraint.name] else {
                throw LLMNASError(
                    .invalidArgument,
                    "host constraint '\(constraint.name)' has no callback: bind one before the search starts")
            }
            let value = try callback(architecture)
            guard !value.isNaN else {
                throw LLMNASError(.invalidArgument, "host constraint '\(constraint.name)' returned NaN")
            }
            return value
        }
    }

    /// Saves the state if the config names a checkpoint.
    func saveCheckpoint() throws(LLMNASError) {
        guard let path = config.checkpoint else { return }
        try SearchCheckpoint.write(self, to: path)
    }
}
