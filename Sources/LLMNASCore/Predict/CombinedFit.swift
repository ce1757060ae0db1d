/// The combined predictor: a ridge regression of the measured score on LLM-PP's score together with cost features
/// (parameters, GFLOPs), fitted on the demonstrations. Inputs are standardised; the ridge penalty is chosen by
/// cross-validation on the rows it is fitted to (leave-one-out up to 50 rows, else 5 folds), so a column that carries
/// no signal (an LLM that answers one number) gets no weight and the fit falls back to the cost line, and an accurate
/// LLM is followed. The LLM's share is its standardised coefficient's part of all of them.
public struct CombinedFit: Sendable {
    /// The penalties tried, per row of training data; the smallest cross-validated squared error wins, ties going
    /// to the larger penalty.
    static let penalties: [Double] = [0, 0.001, 0.01, 0.1, 1, 10]

    /// Each input's mean and standard deviation (0: a constant input, left out), and its weight on the standardised
    /// input.
    let means: [Double]
    let scales: [Double]
    let weights: [Double]
    /// The mean score, the prediction when every input sits at its mean.
    let intercept: Double
    /// The penalty cross-validation chose.
    public let penalty: Double

    /// The LLM's share of the prediction: |its standardised weight| over the sum of all of them (column 0 is the
    /// LLM's); 0 when no input carries weight.
    public var llmShare: Double {
        let total = weights.reduce(0) { $0 + abs($1) }
        return total > 0 ? abs(weights[0]) / total : 0
    }

    /// Fits `y` on the rows of `x` (each row: the LLM's score, then the cost features), choosing the penalty by
    /// cross-validation on these rows only. Needs at least 3 rows of equal width.
    public init(fitting x: [[Double]], to y: [Double]) throws(LLMNASError) {
        guard x.count == y.count, x.count >= 3, let width = x.first?.count, width >= 1,
            x.allSatisfy({ $0.count == width })
        else {
            throw LLMNASError(.invalidArgument, "the combined predictor needs at least 3 rows of equal width")
        }
        let folds =
            x.count <= 50 ? x.indices.map { [$0] } : (0..<5).map { k in Array(stride(from: k, to: x.count, by: 5)) }
        var best = (error: Double.infinity, penalty: Self.penalties[0])
        for penalty in Self.penalties {
            var error = 0.0
            for fold in folds {
                let kept = x.indices.filter { !fold.contains($0) }
                let fit = Self(x: kept.map { x[$0] }, y: kept.map { y[$0] }, penalty: penalty)
                for i in fold {
                    let miss = fit.predict(x[i]) - y[i]
                    error += miss * miss
                }
            }
            if error <= best.error * (1 + 1e-12) { best = (error, penalty) }
        }
        self = Self(x: x, y: y, penalty: best.penalty)
    }

    /// The ridge fit with a given penalty (per row) on standardised inputs.
    private init(x: [[Double]], y: [Double], penalty: Double) {
        let n = Double(x.count)
        let width = x[0].count
        let means = (0..<width).map { j in x.reduce(0) { $0 + $1[j] } / n }
        let scales = (0..<width).map { j in Statistics.standardDeviation(x.map { $0[j] }) }
        let intercept = y.reduce(0, +) / n
        self.means = means
        self.scales = scales
        self.intercept = intercept
        self.penalty = penalty
        let active = (0..<width).filter { scales[$0] > 0 }
        let z = x.map { row in active.map { (row[$0] - means[$0]) / scales[$0] } }
        // Normal equations (ZᵀZ + penalty·n·I) w = Zᵀ(y − ȳ), solved by Gaussian elimination with pivoting.
        let k = active.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for (row, target) in zip(z, y) {
            for p in 0..<k {
                for q in 0..<k { a[p][q] += row[p] * row[q] }
                a[p][k] += row[p] * (target - intercept)
            }
        }
        for p in 0..<k { a[p][p] += penalty * n + 1e-9 * n }
        let solved = Self.solve(&a)
        var weights = [Double](repeating: 0, count: width)
        for (i, j) in active.enumerated() { weights[j] = solved[i] }
        self.weights = weights
    }

    /// The prediction for one row (the LLM's score, then the cost features).
    public func predict(_ row: [Double]) -> Double {
        var value = intercept
        for j in weights.indices where scales[j] > 0 { value += weights[j] * (row[j] - means[j]) / scales[j] }
        return value
    }

    /// Solves the augmented system `a` (k rows of k + 1) in place; a singular pivot gives a zero weight.
    private static func solve(_ a: inout [[Double]]) -> [Double] {
        let k = a.count
        for column in 0..<k {
            let pivot = (column..<k).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            guard abs(a[column][column]) > 1e-300 else { continue }
            for row in 0..<k where row != column {
                let factor = a[row][column] / a[column][column]
                for c in column...k { a[row][c] -= factor * a[column][c] }
            }
        }
        return (0..<k).map { abs(a[$0][$0]) > 1e-300 ? a[$0][k] / a[$0][$0] : 0 }
    }
}
