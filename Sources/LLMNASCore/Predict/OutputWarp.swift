import Glibc

/// Scores replaced by the normal quantiles of their ranks, so that a Gaussian process learns the order of the scores
/// rather than their scale: a tail of architectures that barely train (accuracies of 20% among ones of 80%) would
/// otherwise take the whole variance, and the process would spend its fit on telling bad from terrible. Values map
/// back through the monotone piecewise-linear line between each score and its quantile, extended beyond the ends
/// with the overall slope.
struct OutputWarp {
    /// The warped scores, in the order given: Φ⁻¹((rank − ½) / n), tied scores sharing the mean of their ranks.
    let warped: [Double]
    /// The distinct scores in increasing order and their warped values.
    private let knots: [(warped: Double, value: Double)]
    /// Score units per warped unit: the ratio of the scores' standard deviation to the warped ones'.
    let slope: Double

    /// The warp of `values`.
    init(_ values: [Double]) {
        let n = values.count
        let order = values.indices.sorted { values[$0] < values[$1] }
        var warped = [Double](repeating: 0, count: n)
        var knots: [(warped: Double, value: Double)] = []
        var start = 0
        while start < n {
            var end = start
            while end + 1 < n, values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            let quantile = OutputWarp.normalQuantile((rank - 0.5) / Double(n))
            for i in start...end { warped[order[i]] = quantile }
            knots.append((quantile, values[order[start]]))
            start = end + 1
        }
        self.warped = warped
        self.knots = knots
        let spread = OutputWarp.deviation(values)
        let warpedSpread = OutputWarp.deviation(warped)
        slope = warpedSpread > 1e-12 && spread > 1e-12 ? spread / warpedSpread : 1
    }

    /// The score a warped value stands for.
    func value(at z: Double) -> Double {
        guard let first = knots.first, let last = knots.last else { return z }
        if z <= first.warped { return first.value + (z - first.warped) * slope }
        if z >= last.warped { return last.value + (z - last.warped) * slope }
        var low = 0
        var high = knots.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if knots[middle].warped <= z { low = middle } else { high = middle }
        }
        let (a, b) = (knots[low], knots[high])
        return a.value + (z - a.warped) / (b.warped - a.warped) * (b.value - a.value)
    }

    /// The standard normal quantile of `p` (0 < p < 1), by bisection on the distribution function.
    static func normalQuantile(_ p: Double) -> Double {
        var low = -10.0
        var high = 10.0
        for _ in 0..<64 {
            let middle = (low + high) / 2
            if 0.5 * erfc(-middle / 2.0.squareRoot()) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    private static func deviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }
}
