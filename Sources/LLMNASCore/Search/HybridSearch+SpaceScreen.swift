/// Whole-space cascades: the screen scores every architecture of the space's pool (`SpacePool`) that the iteration's
/// estimator has not scored, together with the children the iteration bred when the pool is a sample, and the best go
/// on as in any cascade. An MLP screen predicts; a Gaussian-process screen (`GaussianProcessScreen`) scores
/// optimistically, and only the candidates that could still reach the kept ones get a standard deviation computed,
/// unless `keep_uncertain` needs every spread. The screen's scores are not kept as trials: they are a ranking of tens
/// of thousands of architectures, redone every iteration.
extension HybridSearch {
    /// Chooses the current iteration's candidates from the whole space with `cascade`'s screen.
    func chooseFromSpace(with cascade: Cascade) throws(LLMNASError) {
        let sample = cascade.spaceSample ?? Cascade.defaultSpaceSample
        let candidates = try spaceCandidates(for: cascade, sample: sample)
        let screen = config.estimators[cascade.screen]
        var rows = Array(0..<candidates.count)
        var scores: [Double]
        var spreads: [Double?]
        switch screen.kind {
        case .mlp:
            scores = candidates.predictions(of: try boundModel(of: screen.name)).map(Double.init)
            spreads = [Double?](repeating: nil, count: scores.count)
        case .gaussianProcess(let on, let exploration, let prior):
            // The config checked that `on` names a declared estimator.
            let learnt = config.estimators.firstIndex { $0.name == on }!
            let entries = Array(state.scores[learnt].currentEntries)
            let process = GaussianProcessScreen(
                space: space, exploration: exploration, higherIsBetter: screen.higherIsBetter,
                prior: try prior.map { (name) throws(LLMNASError) in try boundModel(of: name) })
            (rows, scores, spreads) = try process.scores(
                candidates, pool: &spacePools[sample]!, trained: entries.map(\.architecture), y: entries.map(\.score),
                keep: cascade.keepUncertain > 0 ? nil : cascade.kept(of: candidates.count))
        case .host, .llm:
            throw LLMNASError(.invalidArgument, "estimator '\(screen.name)' cannot screen the whole space")
        }
        keep(
            rows.map { candidates.member($0) }, scores: scores, spreads: spreads, screened: candidates.count,
            by: cascade, distinct: candidates.count)
        state.pool = []
    }

    /// The pool's members the iteration's estimator has not scored and that are not in the population, followed by
    /// the children in the iteration's pool that are new.
    private func spaceCandidates(for cascade: Cascade, sample: Int) throws(LLMNASError) -> ScreenCandidates {
        let screen = config.estimators[cascade.screen]
        let needsFeatures: Bool =
            switch screen.kind {
            case .gaussianProcess(_, _, let prior): prior != nil
            default: true
            }
        if spacePools[sample] == nil || (needsFeatures && spacePools[sample]!.features.isEmpty) {
            spacePools[sample] = try SpacePool(
                space: space, sample: sample, seed: config.seed, withFeatures: needsFeatures,
                admitted: { (architecture) throws(LLMNASError) in try admitted(architecture) })
        }
        let pool = spacePools[sample]!
        let scored = state.scores[config.schedule.estimatorOfIteration[state.iteration]]
        let excluded = (scored.currentEntries.map(\.architecture) + state.population.map(\.architecture)).map(
            space.canonical)
        let rows = pool.rows(excluding: excluded)
        var taken = Set(excluded)
        var children: [SearchMember] = []
        for child in state.pool {
            let canonical = space.canonical(child.architecture)
            if pool.member(holding: canonical) == nil, taken.insert(canonical).inserted {
                children.append(SearchMember(architecture: canonical, constraintValues: child.constraintValues))
            }
        }
        return try ScreenCandidates(
            pool: pool, rows: rows, children: children, withFeatures: needsFeatures, space: space)
    }
}
