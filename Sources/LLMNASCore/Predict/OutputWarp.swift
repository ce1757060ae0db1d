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
    /// The warped scores' mean, which `standardized` subtracts.
    let center: Double
    /// The warped scores' standard deviation (1 when they do not vary), which `standardized` divides by.
    let scale: Double

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
        center = n == 0 ? 0 : warped.reduce(0, +) / Double(n)
        scale = warpedSpread > 1e-12 ? warpedSpread : 1
    }

    /// The warped scores centred and scaled to unit standard deviation (all zero when they do not vary).
    var standardized: [Double] { warped.map { ($0 - center) / scale } }

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

    /// The standard normal quantile of `p` (0 < p < 1): Abramowitz and Stegun's 26.2.23 (error below 4.5e-4), then
    /// Newton's steps on the distribution function to full precision.
    static func normalQuantile(_ p: Double) -> Double {
        let tail = min(p, 1 - p)
        let t = (-2 * log(tail)).squareRoot()
        var x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + t * (1.432788 + t * (0.189269 + 0.001308 * t)))
        if p < 0.5 { x = -x }
        for _ in 0..<3 {
            let density = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            x -= (0.5 * erfc(-x / 2.0.squareRoot()) - p) / density
        }
        return x
    }

    private static func deviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }
}
