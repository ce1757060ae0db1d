import CLLMNAS
import LLMNASCore

/// `llmnas_metrics_compute`: MAE, RMSE, Kendall tau-b, Spearman and Pearson of predictions against the truth.
@c @implementation public func llmnas_metrics_compute(
    _ predicted: UnsafePointer<Double>?, _ truth: UnsafePointer<Double>?, _ n: Int,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        guard let predicted, let truth else {
            throw LLMNASError(.invalidArgument, predicted == nil ? "predicted is NULL" : "truth is NULL")
        }
        let metrics = try RankMetrics(predicted: predicted, truth: truth, count: n)
        out.pointee = try duplicate(JSONWriter.write(metrics.json))
    }
}

/// `llmnas_metrics_kendall_tau`: Kendall's tau-b of two arrays, the hot-path form of `llmnas_metrics_compute`.
@c @implementation public func llmnas_metrics_kendall_tau(
    _ x: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?, _ n: Int,
    _ outTau: UnsafeMutablePointer<Double>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outTau, "out_tau")
        guard let x, let y else { throw LLMNASError(.invalidArgument, x == nil ? "x is NULL" : "y is NULL") }
        out.pointee = try RankMetrics.kendallTauB(x, y, count: n)
    }
}
