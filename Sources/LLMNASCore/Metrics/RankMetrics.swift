/// How well predictions agree with the truth: errors (MAE, RMSE) and rank and linear correlations (Kendall tau-b,
/// Spearman, Pearson). Undefined values (a constant input for a correlation, no data) are NaN.
public struct RankMetrics: Sendable, Equatable {
    /// Mean absolute error.
    public let mae: Double
    /// Root mean squared error.
    public let rmse: Double
    /// Kendall's tau-b, ties handled as scipy.stats.kendalltau does.
    public let kendallTau: Double
    /// Spearman's rho: Pearson's r of the ranks, ties given their average rank.
    public let spearman: Double
    /// Pearson's r.
    public let pearson: Double

    /// The metrics of `predicted` against `truth` (same length; finite values).
    public init(predicted: [Double], truth: [Double]) throws(LLMNASError) {
        guard predicted.count == truth.count else {
            throw LLMNASError(.invalidArgument, "\(predicted.count) predictions for \(truth.count) true values")
        }
        guard predicted.allSatisfy(\.isFinite), truth.allSatisfy(\.isFinite) else {
            throw LLMNASError(.invalidArgument, "predictions and true values must be finite numbers")
        }
        let n = Double(predicted.count)
        mae = zip(predicted, truth).reduce(0) { $0 + abs($1.0 - $1.1) } / n
        rmse = (zip(predicted, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n).squareRoot()
        kendallTau = RankMetrics.kendallTauB(predicted, truth)
        spearman = RankMetrics.pearson(RankMetrics.averageRanks(predicted), RankMetrics.averageRanks(truth))
        pearson = RankMetrics.pearson(predicted, truth)
    }

    /// The metrics as JSON: `{"n", "mae", "rmse", "kendall_tau", "spearman", "pearson"}` (NaN as null).
    public var json: JSONValue {
        .object([("mae", .number(mae)), ("rmse", .number(rmse)), ("kendall_tau", .number(kendallTau)),
                 ("spearman", .number(spearman)), ("pearson", .number(pearson))])
    }

    /// Pearson's correlation; NaN when either side is constant or empty.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count, x.count > 1 else { return .nan }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Ranks from 1, ties sharing their average rank.
    public static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// Kendall's tau-b in O(n log n) (Knight, 1966): sort by (x, y), count ties, then count the discordant pairs as
    /// the swaps of a merge sort on y.
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double {
        let n = x.count
        guard n > 1, n == y.count else { return .nan }
        let order = x.indices.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
        var ys = order.map { y[$0] }
        let xs = order.map { x[$0] }
        func tiePairs(_ equal: (Int, Int) -> Bool) -> Int {
            var total = 0, run = 1
            for i in 1..<n {
                if equal(i - 1, i) { run += 1 } else { total += run * (run - 1) / 2; run = 1 }
            }
            return total + run * (run - 1) / 2
        }
        let tiedX = tiePairs { xs[$0] == xs[$1] }
        let tiedXY = tiePairs { xs[$0] == xs[$1] && ys[$0] == ys[$1] }
        var buffer = ys
        let swaps = mergeSortCountingSwaps(&ys, &buffer, 0, n)
        let tiedY = tiePairs { ys[$0] == ys[$1] }
        let pairs = n * (n - 1) / 2
        let numerator = Double(pairs - tiedX - tiedY + tiedXY - 2 * swaps)
        let denominator = (Double(pairs - tiedX) * Double(pairs - tiedY)).squareRoot()
        return denominator > 0 ? numerator / denominator : .nan
    }

    /// Sorts values[lo..<hi] ascending and returns how many inversions it removed (strictly greater before smaller).
    private static func mergeSortCountingSwaps(_ values: inout [Double], _ buffer: inout [Double], _ lo: Int, _ hi: Int) -> Int {
        guard hi - lo > 1 else { return 0 }
        let mid = (lo + hi) / 2
        var swaps = mergeSortCountingSwaps(&values, &buffer, lo, mid) + mergeSortCountingSwaps(&values, &buffer, mid, hi)
        var i = lo, j = mid, k = lo
        while i < mid, j < hi {
            if values[j] < values[i] {
                buffer[k] = values[j]; j += 1
                swaps += mid - i
            } else {
                buffer[k] = values[i]; i += 1
            }
            k += 1
        }
        while i < mid { buffer[k] = values[i]; i += 1; k += 1 }
        while j < hi { buffer[k] = values[j]; j += 1; k += 1 }
        for t in lo..<hi { values[t] = buffer[t] }
        return swaps
    }
}
