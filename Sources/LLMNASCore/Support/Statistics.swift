/// Summary statistics of samples: the protocol's mean ± standard deviation over seeds, the median of LLM samples.
public enum Statistics {
    /// The mean of `values` (NaN for none).
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The population standard deviation of `values`, as numpy's default (NaN for none).
    public static func standardDeviation(_ values: [Double]) -> Double {
        let m = mean(values)
        return values.isEmpty
            ? .nan : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
    }

    /// The standard error of the mean of `values`: their sample standard deviation over √n (0 for fewer than 2).
    public static func standardError(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let n = Double(values.count)
        return standardDeviation(values) * (n / (n - 1)).squareRoot() / n.squareRoot()
    }

    /// The median of `values`: the middle value, or the mean of the two middle ones (NaN for none).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The central interval holding `confidence` of `values` (NaNs left out): the empirical quantiles at
    /// (1 - confidence) / 2 and (1 + confidence) / 2, the nearer order statistics outward; nil for no value.
    public static func centralInterval(_ values: [Double], confidence: Double) -> (low: Double, high: Double)? {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return nil }
        let last = Double(sorted.count - 1)
        let tail = (1 - confidence) / 2
        return (sorted[Int((tail * last).rounded(.down))], sorted[Int(((1 - tail) * last).rounded(.up))])
    }
}
