/// A least-squares line `y = slope · x + intercept`: the calibration of LLM-PP (predicted to measured score) and the
/// parameter-count baseline of the paper's protocol (parameters to BLEU).
public struct AffineCalibration: Sendable, Equatable {
    /// The line's slope.
    public let slope: Double
    /// Its intercept.
    public let intercept: Double

    /// The line with this slope and intercept.
    public init(slope: Double, intercept: Double) {
        self.slope = slope
        self.intercept = intercept
    }

    /// The least-squares fit of `y` on `x`; with constant `x` the line is flat at the mean of `y`.
    public init(fitting x: [Double], to y: [Double]) throws(LLMNASError) {
        guard x.count == y.count, !x.isEmpty else {
            throw LLMNASError(.invalidArgument, "a line needs paired values; got \(x.count) and \(y.count)")
        }
        let mx = x.reduce(0, +) / Double(x.count)
        let my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0
        var sxx = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
        }
        slope = sxx > 0 ? sxy / sxx : 0
        intercept = my - slope * mx
    }

    /// The line at `x`.
    public func apply(_ x: Double) -> Double { slope * x + intercept }
}
