/// The combined predictor: a regression of the measured score on LLM-PP's score together with a cost feature
/// (parameters or GFLOPs), fitted on the demonstrations, that starts from the cost line and lets the LLM in only as
/// far as cross-validation shows it helps. Inputs are standardised. The anchor is the cost feature whose own
/// least-squares line cross-validates best; it is fitted freely, while the LLM's score carries a ridge penalty. The
/// penalty is chosen by cross-validation on the rows it is fitted to (leave-one-out up to 50 rows, else 5 folds)
/// with the one-standard-error rule: the largest penalty whose error is within one standard error of the least, up
/// to an infinite one that leaves the anchor's line alone. So an LLM that carries no signal gets no weight and the
/// cost line remains, and an accurate LLM is followed. The LLM's share is its standardised weight's part of both.
public struct CombinedFit: Sendable {
    /// The penalties tried on the LLM's weight, per row of training data; infinity leaves it out.
    static let penalties: [Double] = [0, 0.001, 0.01, 0.1, 1, 10, 100, .infinity]
    /// The names of the cost features that follow the LLM's score in a row, for spaces with a cost model.
    public static let costFeatures = ["params", "gflops"]

    /// Each input's mean and standard deviation (0: a constant input, left out).
    let means: [Double]
    let scales: [Double]
    /// The weights on the standardised inputs, the LLM's first (0 for an input left out).
    public let weights: [Double]
    /// The mean score, the prediction when every input sits at its mean.
    let intercept: Double
    /// The penalty cross-validation chose (infinity: the anchor's line alone).
    public let penalty: Double
    /// The column fitted without penalty (a cost feature), if any.
    public let anchor: Int?

    /// The LLM's share of the prediction: |its standardised weight| over the sum of all of them (column 0 is the
    /// LLM's); 0 when no input carries weight.
    public var llmShare: Double {
        let total = weights.reduce(0) { $0 + abs($1) }
        return total > 0 ? abs(weights[0]) / total : 0
    }

    /// Fits `y` on the rows of `x` (each row: the LLM's score, then the cost features), choosing the anchor and the
    /// penalty by cross-validation on these rows only. Needs at least 3 rows of equal width.
    public init(fitting x: [[Double]], to y: [Double]) throws(LLMNASError) {
        guard x.count == y.count, x.count >= 3, let width = x.first?.count, width >= 1,
            x.allSatisfy({ $0.count == width })
        else {
            throw LLMNASError(.invalidArgument, "the combined predictor needs at least 3 rows of equal width")
        }
        let folds =
            x.count <= 50 ? x.indices.map { [$0] } : (0..<5).map { k in Array(stride(from: k, to: x.count, by: 5)) }
        // Each row's squared error when predicted by the fit on the other folds.
        func heldOutErrors(_ columns: [Int], anchor: Int?, penalty: Double) -> [Double] {
            var errors = [Double](repeating: 0, count: x.count)
            for fold in folds {
                let kept = x.indices.filter { !fold.contains($0) }
                let fit = Self(
                    x: kept.map { row in columns.map { x[row][$0] } }, y: kept.map { y[$0] },
                    anchor: anchor.flatMap { columns.firstIndex(of: $0) }, penalty: penalty)
                for i in fold {
                    let miss = fit.predict(columns.map { x[i][$0] }) - y[i]
                    errors[i] = miss * miss
                }
            }
            return errors
        }
        let lineErrors = (1..<width).map { heldOutErrors([$0], anchor: $0, penalty: 0).reduce(0, +) }
        let anchor = lineErrors.indices.min { lineErrors[$0] < lineErrors[$1] }.map { $0 + 1 }
        let all = Array(0..<width)
        let errors = Self.penalties.map { heldOutErrors(all, anchor: anchor, penalty: $0) }
        let sums = errors.map { $0.reduce(0, +) }
        let least = sums.indices.min { sums[$0] < sums[$1] }!
        // One standard error of the least error's sum over the rows.
        let standardError = Statistics.standardError(errors[least]) * Double(x.count)
        let chosen = sums.indices.last { sums[$0] <= sums[least] + standardError }!
        self = Self(x: x, y: y, anchor: anchor, penalty: Self.penalties[chosen])
    }

    /// The fit on the LLM's score (column 0, its weight penalised per row by `penalty`; infinity leaves it out) and
    /// the `anchor` column, on standardised inputs; other columns get no weight.
    private init(x: [[Double]], y: [Double], anchor: Int?, penalty: Double) {
        let n = Double(x.count)
        let width = x[0].count
        let means = (0..<width).map { j in x.reduce(0) { $0 + $1[j] } / n }
        let scales = (0..<width).map { j in Statistics.standardDeviation(x.map { $0[j] }) }
        let intercept = y.reduce(0, +) / n
        self.means = means
        self.scales = scales
        self.intercept = intercept
        self.penalty = penalty
        self.anchor = anchor
        let active = (0..<width).filter { scales[$0] > 0 && ($0 == anchor || ($0 == 0 && penalty.isFinite)) }
        let z = x.map { row in active.map { (row[$0] - means[$0]) / scales[$0] } }
        // Normal equations (ZᵀZ + P) w = Zᵀ(y − ȳ), P the penalty times n on the LLM's weight (and a tiny ridge on
        // both), solved by Gaussian elimination with pivoting.
        let k = active.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for (row, target) in zip(z, y) {
            for p in 0..<k {
                for q in 0..<k { a[p][q] += row[p] * row[q] }
                a[p][k] += row[p] * (target - intercept)
            }
        }
        for (p, column) in active.enumerated() { a[p][p] += (column == anchor ? 0 : penalty * n) + 1e-9 * n }
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

    /// The prediction as a line in the LLM's score, for an architecture with these cost features.
    func line(costs: [Double]) -> AffineCalibration {
        let slope = scales[0] > 0 ? weights[0] / scales[0] : 0
        return AffineCalibration(slope: slope, intercept: predict([0] + costs))
    }

    /// An architecture's cost features: its parameter count and GFLOPs by the space's cost model, none without one.
    public static func costs(of architecture: Architecture, in space: SearchSpace) throws(LLMNASError) -> [Double] {
        guard let costModel = space.costModel else { return [] }
        let counts = try costModel.counts(of: architecture, in: space)
        return [Double(counts.parameters), Double(counts.flops) / 1e9]
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
