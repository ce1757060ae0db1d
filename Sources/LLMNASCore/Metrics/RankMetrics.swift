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

    /// The most values one call compares.
    public static let maximumCount = 100_000_000

    /// The metrics of `count` values at `predicted` against as many at `truth`: 1 to `maximumCount`, finite.
    public init(predicted: UnsafePointer<Double>, truth: UnsafePointer<Double>, count: Int) throws(LLMNASError) {
        guard (1...RankMetrics.maximumCount).contains(count) else {
            throw LLMNASError(.invalidArgument, "n must be 1 to \(RankMetrics.maximumCount), not \(count)")
        }
        try self.init(
            predicted: Array(UnsafeBufferPointer(start: predicted, count: count)),
            truth: Array(UnsafeBufferPointer(start: truth, count: count)))
    }

    /// Kendall's tau-b of `count` values at `x` and at `y`: 2 to `maximumCount`, finite; NaN when a side is constant.
    public static func kendallTauB(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int)
        throws(LLMNASError) -> Double
    {
        guard (2...maximumCount).contains(count) else {
            throw LLMNASError(.invalidArgument, "n must be at least 2 and at most \(maximumCount), not \(count)")
        }
        let xs = Array(UnsafeBufferPointer(start: x, count: count))
        let ys = Array(UnsafeBufferPointer(start: y, count: count))
        guard xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else {
            throw LLMNASError(.invalidArgument, "x and y must be finite numbers")
        }
        return kendallTauB(xs, ys)
    }

    /// The metrics as JSON: `{"n", "mae", "rmse", "kendall_tau", "spearman", "pearson"}` (NaN as null).
    public var json: JSONValue {
        .object([
            ("mae", .number(mae)), ("rmse", .number(rmse)), ("kendall_tau", .number(kendallTau)),
            ("spearman", .number(spearman)), ("pearson", .number(pearson)),
        ])
    }

    /// Pearson's correlation; NaN when either side is constant or empty.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count, x.count > 1 else { return .nan }
        let mx = x.reduce(0, +) / Double(x.count)
        let my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
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
        var order = values.enumerated().map {
            RadixSort.KeyPair(primary: sortKey($0.element), secondary: UInt64($0.offset))
        }
        RadixSort.sort(&order, primaryOnly: true)
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, order[j + 1].primary == order[i].primary { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[Int(order[k].secondary)] = rank }
            i = j + 1
        }
        return ranks
    }

    /// Kendall's tau-b in O(n log n) (Knight, 1966): sort the pairs by (x, y), count ties, then count the discordant
    /// pairs as the inversions a merge sort on y removes. Values become order-preserving integer keys first, so both
    /// sorts are integer work (a radix sort, then a bottom-up merge sort).
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double {
        let n = x.count
        guard n > 1, n == y.count else { return .nan }
        var pairs = zip(x, y).map { RadixSort.KeyPair(primary: sortKey($0), secondary: sortKey($1)) }
        RadixSort.sort(&pairs)
        var tiedX = 0
        var tiedXY = 0
        var runX = 1
        var runXY = 1
        for i in 1..<n {
            let a = pairs[i - 1]
            let b = pairs[i]
            if a.primary == b.primary {
                runX += 1
                if a.secondary == b.secondary {
                    runXY += 1
                } else {
                    tiedXY += runXY * (runXY - 1) / 2
                    runXY = 1
                }
            } else {
                tiedX += runX * (runX - 1) / 2
                tiedXY += runXY * (runXY - 1) / 2
                runX = 1
                runXY = 1
            }
        }
        tiedX += runX * (runX - 1) / 2
        tiedXY += runXY * (runXY - 1) / 2
        var ys = pairs.map(\.secondary)
        let swaps = countInversionsSorting(&ys)
        var tiedY = 0
        var runY = 1
        for i in 1..<n {
            if ys[i] == ys[i - 1] {
                runY += 1
            } else {
                tiedY += runY * (runY - 1) / 2
                runY = 1
            }
        }
        tiedY += runY * (runY - 1) / 2
        let total = n * (n - 1) / 2
        let numerator = Double(total - tiedX - tiedY + tiedXY - 2 * swaps)
        let denominator = (Double(total - tiedX) * Double(total - tiedY)).squareRoot()
        return denominator > 0 ? numerator / denominator : .nan
    }

    /// An unsigned key that orders like the double (finite values; -0 and +0 equal).
    static func sortKey(_ value: Double) -> UInt64 {
        let bits = (value == 0 ? 0.0 : value).bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    /// Sorts `keys` ascending with a bottom-up merge sort and returns the inversions it removed (pairs i < j with
    /// keys[i] > keys[j]).
    static func countInversionsSorting(_ keys: inout [UInt64]) -> Int {
        let n = keys.count
        var other = keys
        var swaps = 0
        var width = 1
        var sourceIsKeys = true
        keys.withUnsafeMutableBufferPointer { a in
            other.withUnsafeMutableBufferPointer { b in
                while width < n {
                    let source = sourceIsKeys ? a : b
                    let target = sourceIsKeys ? b : a
                    var lo = 0
                    while lo < n {
                        let mid = min(lo + width, n)
                        let hi = min(lo + 2 * width, n)
                        var i = lo
                        var j = mid
                        var k = lo
                        while i < mid, j < hi {
                            if source[j] < source[i] {
                                target[k] = source[j]
                                j += 1
                                swaps += mid - i
                            } else {
                                target[k] = source[i]
                                i += 1
                            }
                            k += 1
                        }
                        while i < mid {
                            target[k] = source[i]
                            i += 1
                            k += 1
                        }
                        while j < hi {
                            target[k] = source[j]
                            j += 1
                            k += 1
                        }
                        lo = hi
                    }
                    sourceIsKeys.toggle()
                    width *= 2
                }
            }
        }
        if !sourceIsKeys { keys = other }
        return swaps
    }
}
