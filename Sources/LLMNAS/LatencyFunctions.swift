import CLLMNAS
import LLMNASCore

/// `llmnas_latency_predictor_builtin_names`: a JSON array of the built-in latency predictors' names.
@c @implementation public func llmnas_latency_predictor_builtin_names(
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(.array(LatencyPredictors.builtins.map { .string($0.name) })))
    }
}

/// `llmnas_latency_predictor_builtin`: the built-in latency predictor `name`, embedded in the library.
@c @implementation public func llmnas_latency_predictor_builtin(
    _ name: UnsafePointer<CChar>?, _ outMLP: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outMLP, "out_mlp")
        out.pointee = MLPHandle(try LatencyPredictors.builtin(named: text(name, "name"))).retainedPointer()
    }
}

/// `llmnas_latency_predictor_train`: a latency predictor trained on a measured data set in HAT's CSV format.
@c @implementation public func llmnas_latency_predictor_train(
    _ csvPath: UnsafePointer<CChar>?, _ configJSON: UnsafePointer<CChar>?,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
    _ outMLP: UnsafeMutablePointer<OpaquePointer?>?,
    _ outReport: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outMLP, "out_mlp")
        let report = try output(outReport, "out_report_json")
        let config = try MLPConfig(json: optionalJSON(configJSON, "config_json"))
        let dataset = try LatencyPredictors.Dataset(csvPath: text(csvPath, "csv_path"))
        let callback = ProgressCallback(function: progress, userData: userData)
        let (model, figures) = try LatencyPredictors.train(dataset, config: config, progress: callback.report)
        let reportText = try duplicate(JSONWriter.write(figures))
        report.pointee = reportText
        out.pointee = MLPHandle(model).retainedPointer()
    }
}
