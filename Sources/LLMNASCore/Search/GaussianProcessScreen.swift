/// A Gaussian-process screen's scoring of whole-space candidates, shared by a search's whole-space cascades and by
/// `SpaceScreen`: the process is fitted to the scores so far (their ranks as normal quantiles, `OutputWarp`,
/// standardized), optionally on top of a prior
/// MLP's line, and each candidate gets an optimistic score (mean plus `exploration` deviations; minus when lower is
/// better). Only the candidates that could still reach the best `keep` get a deviation computed (their mean plus
/// the largest possible deviation decides).
struct GaussianProcessScreen {
    /// The ridge of a Gaussian process's prior line, in observations: the slope leans toward 1 (the prior as it
    /// stands) as if this many scores agreed with it.
    static let priorRidge = 5.0
    /// The fewest candidates whose deviations are computed first (at least four per architecture kept).
    static let firstChunk = 16

    /// The space the architectures belong to.
    let space: SearchSpace
    /// Deviations added to the mean (0 to 100).
    let exploration: Double
    /// Whether a higher score is better.
    let higherIsBetter: Bool
    /// The MLP whose predictions are the prior mean, if any.
    let prior: MLP?

    /// The optimistic scores of candidates `rows` (score units) and, where computed, their spreads, given the scores
    /// `y` of the architectures `trained` (in the order they came, which `pool` caches its gene agreements by).
    /// Without `keep` (every spread wanted) every candidate; with it, only the best `keep` (ties included), in
    /// candidate order: a deviation is computed only for candidates whose mean plus the largest deviation could
    /// still place them there.
    func scores(
        _ candidates: ScreenCandidates, pool: inout SpacePool, trained: [Architecture], y: [Double], keep: Int?
    ) throws(LLMNASError) -> (rows: [Int], scores: [Double], spreads: [Double?]) {
        // The process learns the scores' ranks (`OutputWarp`), standardized.
        let warp = OutputWarp(y)
        let (center, scale) = (warp.center, warp.scale)
        var targets = warp.standardized
        var line: [Double]?  // the prior's line at the candidates
        if let prior {
            let fitted = try priorLine(prior, candidates: candidates, trained: trained, targets: targets)
            targets = zip(targets, fitted.trained).map { $0 - $1 }
            line = fitted.candidates
        }
        let codes = GeneCodes(trained, in: space)
        if pool.factor == nil {
            pool.factor = TrainingFactor(codes: codes, scores: y)
        } else {
            pool.factor!.grow(to: codes, scores: y)
        }
        let process = GaussianProcess(factor: pool.factor!, targets: targets)
        let everyMember: [Double]
        if let indices = pool.expansionIndices, let expanded = process.expandedMeans(at: indices) {
            everyMember = expanded
        } else {
            pool.agree(with: trained, in: space)
            everyMember = process.means(fromMatches: pool.agreement, members: pool.members.count)
        }
        let pooled = candidates.poolRows.count
        let children = Array(pooled..<candidates.count)
        let childMeans = process.means(of: candidates.codes(of: children), rows: Array(children.indices))
        // Goodness in standard units (higher better): the mean; the optimistic goodness adds `exploration`
        // deviations, at most `largest`. Only a candidate whose goodness is within `largest` of the keep-th best can
        // be kept.
        let sign = higherIsBetter ? 1.0 : -1.0
        let goodness = [Double](unsafeUninitializedCapacity: candidates.count) { buffer, initialized in
            candidates.poolRows.withUnsafeBufferPointer { poolRows in
                for i in 0..<pooled { buffer[i] = everyMember[poolRows[i]] }
            }
            for (k, mean) in childMeans.enumerated() { buffer[pooled + k] = mean }
            for i in 0..<candidates.count { buffer[i] = sign * (buffer[i] + (line?[i] ?? 0)) }
            initialized = candidates.count
        }
        let largest = exploration * process.signal.squareRoot()
        var rows: [Int]
        if let keep, keep < candidates.count {
            let threshold = GaussianProcessScreen.kthLargest(keep, of: goodness) - largest
            rows = (0..<candidates.count).filter { goodness[$0] >= threshold }
        } else {
            rows = Array(0..<candidates.count)
        }
        guard exploration > 0 || keep == nil else {
            return (rows, rows.map { warp.value(at: center + scale * sign * goodness[$0]) }, rows.map { _ in nil })
        }
        // Deviations cost a triangular solve each: a first small chunk often settles the ranking, so only the best of
        // it are put in order until more are needed; chunks grow by half from there (more would often pass the point
        // where the ranking settles, less would read the factor too often). Once the keep-th best optimistic
        // goodness reached is above every other candidate's bound, only candidates with a deviation can be kept.
        var computed: [(row: Int, deviation: Double, optimistic: Double)] = []
        var size = max(GaussianProcessScreen.firstChunk, 4 * (keep ?? 0))
        var order = GaussianProcessScreen.best(size, of: rows, by: goodness)
        while computed.count < rows.count {
            if computed.count == order.count {
                order = GaussianProcessScreen.best(min(rows.count, 4 * order.count), of: rows, by: goodness)
            }
            if let keep, computed.count >= keep,
                GaussianProcessScreen.kthLargest(keep, of: computed.map(\.optimistic))
                    >= goodness[order[computed.count]] + largest
            {
                break
            }
            let chunk = Array(order[computed.count..<min(computed.count + size, order.count)])
            size = min(size + size / 2, GaussianProcess.chunk)
            let codes = candidates.codes(of: chunk)
            for (row, sd) in zip(chunk, process.standardDeviations(of: codes, rows: Array(chunk.indices))) {
                computed.append((row, sd, goodness[row] + exploration * sd))
            }
        }
        if let keep, keep < computed.count {
            let threshold = GaussianProcessScreen.kthLargest(keep, of: computed.map(\.optimistic))
            computed = computed.filter { $0.optimistic >= threshold }
        }
        computed.sort { $0.row < $1.row }
        return (
            computed.map(\.row), computed.map { warp.value(at: center + scale * sign * $0.optimistic) },
            computed.map { $0.deviation * scale * warp.slope }
        )
    }

    /// The best `k` of `rows` by `value` (higher first, ties by row), in that order.
    static func best(_ k: Int, of rows: [Int], by value: [Double]) -> [Int] {
        guard k < rows.count / 4 else {
            return Array(rows.sorted { precedes(value[$0], $0, value[$1], $1) }.prefix(k))
        }
        return value.withUnsafeBufferPointer { value in
            var top: [Int] = []  // the best k so far, in order
            top.reserveCapacity(k + 1)
            var (worstValue, worstRow) = (-Double.infinity, Int.max)  // the k-th best so far, once there are k
            for row in rows {
                let v = value[row]
                guard top.count < k || precedes(v, row, worstValue, worstRow) else { continue }
                var low = 0
                var high = top.count
                while low < high {
                    let middle = (low + high) / 2
                    if precedes(value[top[middle]], top[middle], v, row) { low = middle + 1 } else { high = middle }
                }
                top.insert(row, at: low)
                if top.count > k { top.removeLast() }
                if top.count == k { (worstValue, worstRow) = (value[top[k - 1]], top[k - 1]) }
            }
            return top
        }
    }

    /// Whether row `a` of value `x` comes before row `b` of value `y`: the higher value first, ties by row.
    @inline(__always)
    private static func precedes(_ x: Double, _ a: Int, _ y: Double, _ b: Int) -> Bool { x != y ? x > y : a < b }

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

    /// The prior MLP's predictions as a line on the standardized scores: its predictions are standardized over the
    /// candidates, centred on the trained architectures, and scaled by the ridge slope that leans toward 1
    /// (`priorRidge`). Returns the line at the trained architectures and at the candidates.
    private func priorLine(_ model: MLP, candidates: ScreenCandidates, trained: [Architecture], targets: [Double])
        throws(LLMNASError) -> (trained: [Double], candidates: [Double])
    {
        let predicted = candidates.predictions(of: model).map(Double.init)
        let center = predicted.isEmpty ? 0 : predicted.reduce(0, +) / Double(predicted.count)
        let spread =
            predicted.isEmpty
            ? 0 : (predicted.reduce(0) { $0 + ($1 - center) * ($1 - center) } / Double(predicted.count)).squareRoot()
        let scale = spread > 1e-12 ? spread : 1
        let atTrained = try model.predict(trained, in: space).map { (Double($0) - center) / scale }
        let offset = atTrained.isEmpty ? 0 : atTrained.reduce(0, +) / Double(atTrained.count)
        let centred = atTrained.map { $0 - offset }
        let slope =
            (zip(centred, targets).reduce(0) { $0 + $1.0 * $1.1 } + GaussianProcessScreen.priorRidge)
            / (centred.reduce(0) { $0 + $1 * $1 } + GaussianProcessScreen.priorRidge)
        return (centred.map { slope * $0 }, predicted.map { slope * ((($0 - center) / scale) - offset) })
    }
}
