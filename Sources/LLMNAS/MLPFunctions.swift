import CLLMNAS
import LLMNASCore

/// `llmnas_mlp_train`: an MLP regressor trained on `n` rows of `dim` float features and their targets.
@c @implementation public func llmnas_mlp_train(_ configJSON: UnsafePointer<CChar>?, _ x: UnsafePointer<Float>?, _ y: UnsafePointer<Float>?,
                                _ n: Int, _ dim: Int, _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
                                _ outMLP: UnsafeMutablePointer<OpaquePointer?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outMLP, "out_mlp")
        let config = try MLPConfig(json: optionalJSON(configJSON, "config_json"))
        guard let x, let y else { throw LLMNASError(.invalidArgument, x == nil ? "x is NULL" : "y is NULL") }
        let callback = ProgressCallback(function: progress, userData: userData)
        let model = try MLPTrainer.train(config: config, x: x, y: y, rows: n, dim: dim) { step, steps, loss in
            callback.report(stage: "train", done: step, total: steps, value: loss)
        }
        out.pointee = MLPHandle(model).retainedPointer()
    }
}

/// `llmnas_mlp_predict`: predictions for `n` rows into a caller-owned buffer.
@c @implementation public func llmnas_mlp_predict(_ mlp: OpaquePointer?, _ x: UnsafePointer<Float>?, _ n: Int, _ dim: Int,
                                  _ out: UnsafeMutablePointer<Float>?) -> llmnas_status {
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
@c @implementation public func llmnas_mlp_load(_ path: UnsafePointer<CChar>?, _ outMLP: UnsafeMutablePointer<OpaquePointer?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outMLP, "out_mlp")
        out.pointee = MLPHandle(try MLP.load(from: text(path, "path"))).retainedPointer()
    }
}

/// `llmnas_mlp_info_json`: the model's shape, normalisation and training record.
@c @implementation public func llmnas_mlp_info_json(_ mlp: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(MLPHandle.value(mlp, "mlp").info))
    }
}

/// `llmnas_mlp_free`: releases a model; NULL is ignored.
@c @implementation public func llmnas_mlp_free(_ mlp: OpaquePointer?) { MLPHandle.release(mlp) }

/// `llmnas_distill_llmpp`: LLM-Distill-PP: label a pool's architectures with LLM-PP and train an MLP on them.
@c @implementation public func llmnas_distill_llmpp(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                                    _ demosJSON: UnsafePointer<CChar>?, _ poolPath: UnsafePointer<CChar>?, _ labels: Int,
                                    _ seed: UInt64, _ mlpConfigJSON: UnsafePointer<CChar>?, _ progress: llmnas_progress_fn?,
                                    _ userData: UnsafeMutableRawPointer?, _ outMLP: UnsafeMutablePointer<OpaquePointer?>?,
                                    _ outReport: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outMLP, "out_mlp")
        let report = try output(outReport, "out_report_json")
        let client = try LLMHandle.value(llm, "llm")
        let space = try SpaceHandle.value(space, "space")
        let task = try PredictionTask(json: optionalJSON(taskJSON, "task_json"))
        let demonstrations = try Demonstration.list(fromJSON: text(demosJSON, "demos_json"), in: space)
        let pool = try Distillation.readPool(text(poolPath, "pool_path"), in: space)
        let config = try MLPConfig(json: optionalJSON(mlpConfigJSON, "mlp_config_json"))
        let callback = ProgressCallback(function: progress, userData: userData)
        let predictor = LLMPPPredictor(client: client, space: space, task: task, demonstrations: demonstrations)
        let (model, figures) = try Distillation.run(predictor: predictor, pool: pool, labels: labels, seed: seed,
                                                    config: config) { stage, done, total, value in
            callback.report(stage: stage, done: done, total: total, value: value)
        }
        report.pointee = try duplicate(JSONWriter.write(figures))
        out.pointee = MLPHandle(model).retainedPointer()
    }
}
