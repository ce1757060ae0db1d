import CLLMNAS
import LLMNASCore

/// `llmnas_mlp_train`: an MLP regressor trained on `n` rows of `dim` float features and their targets.
@c @implementation public func llmnas_mlp_train(
    _ configJSON: UnsafePointer<CChar>?, _ x: UnsafePointer<Float>?, _ y: UnsafePointer<Float>?,
    _ n: Int, _ dim: Int, _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
    _ outMLP: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outMLP, "out_mlp")
        let config = try MLPConfig(json: optionalJSON(configJSON, "config_json"))
        guard let x, let y else { throw LLMNASError(.invalidArgument, x == nil ? "x is NULL" : "y is NULL") }
        let callback = ProgressCallback(function: progress, userData: userData)
        let model = try MLPTrainer.train(
            config: config, x: x, y: y, rows: n, dim: dim, progress: callback.report)
        out.pointee = MLPHandle(model).retainedPointer()
    }
}

/// `llmnas_mlp_predict`: predictions for `n` rows into a caller-owned buffer.
@c @implementation public func llmnas_mlp_predict(
    _ mlp: OpaquePointer?, _ x: UnsafePointer<Float>?, _ n: Int, _ dim: Int,
    _ out: UnsafeMutablePointer<Float>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let model = try MLPHandle.value(mlp, "mlp")
        try model.checkInput(rows: n, dim: dim)
        guard n > 0 else { return }
        guard let x else { throw LLMNASError(.invalidArgument, "x is NULL") }
        let buffer = try output(out, "out")
        try model.checkFinite(x, rows: n)
        model.predict(x, rows: n, into: buffer)
    }
}

/// `llmnas_mlp_save`: writes the model to a file, atomically.
@c @implementation public func llmnas_mlp_save(_ mlp: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in try MLPHandle.value(mlp, "mlp").save(to: text(path, "path")) }
}

/// `llmnas_mlp_load`: reads a model file.
@c @implementation public func llmnas_mlp_load(
    _ path: UnsafePointer<CChar>?, _ outMLP: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outMLP, "out_mlp")
        out.pointee = MLPHandle(try MLP.load(from: text(path, "path"))).retainedPointer()
    }
}

/// `llmnas_mlp_info`: the model's shape, normalisation and training record.
@c @implementation public func llmnas_mlp_info(
    _ mlp: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(MLPHandle.value(mlp, "mlp").info))
    }
}

/// `llmnas_mlp_free`: releases a model; NULL is ignored.
@c @implementation public func llmnas_mlp_free(_ mlp: OpaquePointer?) { MLPHandle.release(mlp) }
