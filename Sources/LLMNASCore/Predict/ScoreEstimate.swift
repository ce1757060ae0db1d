/// One item's LLM-PP score with its spread: the aggregate of its numeric answers, their standard deviation
/// (population) and their range. One answer has spread 0 and a range of one value.
public struct ScoreEstimate: Sendable, Equatable {
    /// The score: the median or mean of the answers, as the client's "aggregate" says.
    public let value: Double
    /// The standard deviation of the answers.
    public let standardDeviation: Double
    /// The smallest answer.
    public let low: Double
    /// The largest answer.
    public let high: Double

    /// The estimate of `values` (at least one) aggregated by `aggregate`.
    init(values: [Double], aggregate: LLMConfig.Aggregate) {
        value = aggregate == .mean ? Statistics.mean(values) : Statistics.median(values)
        standardDeviation = Statistics.standardDeviation(values)
        low = values.min()!
        high = values.max()!
    }

    /// An estimate from its parts.
    init(value: Double, standardDeviation: Double, low: Double, high: Double) {
        self.value = value
        self.standardDeviation = standardDeviation
        self.low = low
        self.high = high
    }

    /// The estimate through the calibration line: the spread scales by the slope's size, the range keeps its order.
    func mapped(by line: AffineCalibration) -> ScoreEstimate {
        let ends = [line.apply(low), line.apply(high)]
        return ScoreEstimate(
            value: line.apply(value), standardDeviation: abs(line.slope) * standardDeviation,
            low: ends.min()!, high: ends.max()!)
    }
}
