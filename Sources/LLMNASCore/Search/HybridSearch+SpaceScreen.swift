import Glibc

/// Whole-space cascades: the screen scores every architecture of the space's pool (`SpacePool`) that the iteration's
/// estimator has not scored, together with the children the iteration bred when the pool is a sample, and the best go
/// on as in any cascade. An MLP screen predicts; a Gaussian-process screen scores optimistically, and only the
/// candidates that could still reach the kept ones get a standard deviation computed (their mean plus the largest
/// possible deviation decides), unless `keep_uncertain` needs every spread. The screen's scores are not kept as
/// trials: they are a ranking of tens of thousands of architectures, redone every iteration.
extension HybridSearch {
    /// The ridge of a Gaussian process's prior line, in observations: the slope leans toward 1 (the prior as it
    /// stands) as if this many scores agreed with it.
    static let priorRidge = 5.0

    /// The candidates of one whole-space screening: members (the pool's first, then children), their gene codes and
    /// their features (empty when no MLP reads them), and the pool rows of the pool's.
    private struct Candidates {
        var members: [SearchMember]
        var codes: GeneCodes
        var features: [Float]
        var poolRows: [Int]
    }

    /// Chooses the current iteration's candidates from the whole space with `cascade`'s screen.
    func chooseFromSpace(with cascade: Cascade) throws(LLMNASError) {
        let candidates = try spaceCandidates(for: cascade)
        let screen = config.estimators[cascade.screen]
        var rows = Array(candidates.members.indices)
        var scores: [Double]
        var spreads: [Double?]
        switch screen.kind {
        case .mlp:
            scores = predictions(of: try boundModel(of: screen.name), on: candidates).map(Double.init)
            spreads = [Double?](repeating: nil, count: scores.count)
        case .gaussianProcess(let on, let exploration, let prior):
            let distinct = candidates.members.count
            (rows, scores, spreads) = try gaussianProcessScores(
                candidates, screen: screen, on: on, exploration: exploration, prior: prior,
                keep: cascade.keepUncertain > 0 ? nil : cascade.kept(of: distinct),
                sample: cascade.spaceSample ?? Cascade.defaultSpaceSample)
        case .host, .llm:
            throw LLMNASError(.invalidArgument, "estimator '\(screen.name)' cannot screen the whole space")
        }
        keep(
            rows.map { candidates.members[$0] }, scores: scores, spreads: spreads, screened: candidates.members.count,
            by: cascade, distinct: candidates.members.count)
        state.pool = []
    }

    /// The pool's members the iteration's estimator has not scored and that are not in the population, followed by
    /// the children in the iteration's pool that are new.
    private func spaceCandidates(for cascade: Cascade) throws(LLMNASError) -> Candidates {
        let sample = cascade.spaceSample ?? Cascade.defaultSpaceSample
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
        // Marked by what was scored and who is in the population, not by looking each member up.
        var excluded = [Bool](repeating: false, count: pool.members.count)
        var taken = Set<Architecture>()
        for architecture in scored.currentEntries.map(\.architecture) + state.population.map(\.architecture) {
            let canonical = space.canonical(architecture)
            taken.insert(canonical)
            if let row = pool.member(holding: canonical) { excluded[row] = true }
        }
        let rows = excluded.indices.filter { !excluded[$0] }
        var children: [SearchMember] = []
        for child in state.pool {
            let canonical = space.canonical(child.architecture)
            if pool.member(holding: canonical) == nil, taken.insert(canonical).inserted {
                children.append(SearchMember(architecture: canonical, constraintValues: child.constraintValues))
            }
        }
        let width = space.featureCount
        var features: [Float] = []
        if needsFeatures {
            features.reserveCapacity((rows.count + children.count) * width)
            for row in rows { features += pool.features[(row * width)..<((row + 1) * width)] }
            for child in children { features += try space.features(of: child.architecture) }
        }
        return Candidates(
            members: rows.map { pool.members[$0] } + children,
            codes: pool.codes.gathering(rows: rows, appending: GeneCodes(children.map(\.architecture), in: space)),
            features: features, poolRows: rows)
    }

    /// An MLP's predictions for the candidates.
    private func predictions(of model: MLP, on candidates: Candidates) -> [Float] {
        var out = [Float](repeating: 0, count: candidates.members.count)
        guard !out.isEmpty else { return out }
        model.predict(candidates.features, rows: candidates.members.count, into: &out)
        return out
    }

    /// A Gaussian-process screen's optimistic scores of candidates `rows` and, where computed, its spreads (score
    /// units). Without `keep` (every spread wanted), every candidate; with it, only those whose mean leaves them a
    /// chance among the best `keep`, and of those only the ones that could still be get a deviation computed (the
    /// others score their mean, which ranks them below the kept ones all the same).
    private func gaussianProcessScores(
        _ candidates: Candidates, screen: EstimatorSpec, on: String, exploration: Double, prior: String?, keep: Int?,
        sample: Int
    ) throws(LLMNASError) -> (rows: [Int], scores: [Double], spreads: [Double?]) {
        // The config checked that `on` names a declared estimator.
        let learnt = config.estimators.firstIndex { $0.name == on }!
        let entries = Array(state.scores[learnt].currentEntries)
        let y = entries.map(\.score)
        let center = y.isEmpty ? 0 : y.reduce(0, +) / Double(y.count)
        let deviation =
            y.count > 1 ? (y.reduce(0) { $0 + ($1 - center) * ($1 - center) } / Double(y.count)).squareRoot() : 0
        let scale = deviation > 1e-12 ? deviation : 1
        var targets = y.map { ($0 - center) / scale }
        var means = [Double](repeating: 0, count: candidates.members.count)
        if let prior {
            let line = try priorLine(
                prior, candidates: candidates, trained: entries.map(\.architecture), targets: targets)
            targets = zip(targets, line.trained).map { $0 - $1 }
            means = line.candidates
        }
        let process = GaussianProcess(codes: GeneCodes(entries.map(\.architecture), in: space), targets: targets)
        spacePools[sample]!.agree(with: entries.map(\.architecture), in: space)
        let everyMember = process.means(
            fromMatches: spacePools[sample]!.agreement, members: spacePools[sample]!.members.count)
        let fromPool = candidates.poolRows.map { everyMember[$0] }
        let children = Array(candidates.poolRows.count..<candidates.members.count)
        for (i, mean) in (fromPool + process.means(of: candidates.codes, rows: children)).enumerated() {
            means[i] += mean
        }
        let sign = screen.higherIsBetter ? 1.0 : -1.0
        // Goodness in standard units (higher better); the optimistic goodness adds `exploration` deviations, at most
        // `largest`. Only a candidate whose goodness is within `largest` of the keep-th best can be kept.
        var optimistic = means.map { sign * $0 }
        let largest = exploration * process.signal.squareRoot()
        var rows = Array(candidates.members.indices)
        if let keep, keep < rows.count {
            let threshold = HybridSearch.kthLargest(keep, of: optimistic) - largest
            rows = rows.filter { optimistic[$0] >= threshold }
        }
        var spreads = [Double?](repeating: nil, count: means.count)
        if exploration > 0 || keep == nil {
            let order = rows.sorted { optimistic[$0] != optimistic[$1] ? optimistic[$0] > optimistic[$1] : $0 < $1 }
            var reached: [Double] = []
            var start = 0
            // Deviations cost a triangular solve each: a first small chunk often settles the ranking.
            var size = max(GaussianProcess.chunk / 8, 4 * (keep ?? 0))
            while start < order.count {
                if let keep, reached.count >= keep {
                    if HybridSearch.kthLargest(keep, of: reached) >= optimistic[order[start]] + largest { break }
                }
                let chunk = Array(order[start..<min(start + size, order.count)])
                size = min(2 * size, GaussianProcess.chunk)
                for (row, sd) in zip(chunk, process.standardDeviations(of: candidates.codes, rows: chunk)) {
                    optimistic[row] += exploration * sd
                    spreads[row] = sd * scale
                    reached.append(optimistic[row])
                }
                start += chunk.count
            }
        }
        return (rows, rows.map { center + scale * sign * optimistic[$0] }, rows.map { spreads[$0] })
    }

    /// The `k`-th largest of `values` (k from 1, at most their count).
    private static func kthLargest(_ k: Int, of values: [Double]) -> Double {
        var top: [Double] = []  // the k largest so far, in decreasing order
        for value in values where top.count < k || value > top[k - 1] {
            let at = top.firstIndex { $0 < value } ?? top.count
            top.insert(value, at: at)
            if top.count > k { top.removeLast() }
        }
        return top[k - 1]
    }

    /// The prior MLP `prior`'s predictions as a line on the standardized scores: its predictions are standardized
    /// over the candidates, centred on the trained architectures, and scaled by the ridge slope that leans toward 1
    /// (`priorRidge`). Returns the line at the trained architectures and at the candidates.
    private func priorLine(_ prior: String, candidates: Candidates, trained: [Architecture], targets: [Double])
        throws(LLMNASError) -> (trained: [Double], candidates: [Double])
    {
        let model = try boundModel(of: prior)
        let predicted = predictions(of: model, on: candidates).map(Double.init)
        let center = predicted.isEmpty ? 0 : predicted.reduce(0, +) / Double(predicted.count)
        let spread =
            predicted.isEmpty
            ? 0 : (predicted.reduce(0) { $0 + ($1 - center) * ($1 - center) } / Double(predicted.count)).squareRoot()
        let scale = spread > 1e-12 ? spread : 1
        let atTrained = try model.predict(trained, in: space).map { (Double($0) - center) / scale }
        let offset = atTrained.isEmpty ? 0 : atTrained.reduce(0, +) / Double(atTrained.count)
        let centred = atTrained.map { $0 - offset }
        let slope =
            (zip(centred, targets).reduce(0) { $0 + $1.0 * $1.1 } + HybridSearch.priorRidge)
            / (centred.reduce(0) { $0 + $1 * $1 } + HybridSearch.priorRidge)
        return (centred.map { slope * $0 }, predicted.map { slope * ((($0 - center) / scale) - offset) })
    }
}
