import CLLMNAS
import LLMNASCore

/// `llmnas_prompt_build`: the LLM-PP messages for one architecture, as a JSON array.
@c @implementation public func llmnas_prompt_build(
    _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?, _ demosJSON: UnsafePointer<CChar>?,
    _ archJSON: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_messages_json")
        let space = try SpaceHandle.value(space, "space")
        var task = try PredictionTask(json: optionalJSON(taskJSON, "task_json"))
        if let options = try optionalJSON(optionsJSON, "options_json") {
            task.options = try PromptOptions(json: options)
        }
        let demonstrations = try Demonstration.list(fromJSON: text(demosJSON, "demos_json"), in: space)
        let architecture = try space.architecture(fromJSON: text(archJSON, "arch_json"))
        let messages = try PromptBuilder(space: space, task: task).messages(
            demonstrations: demonstrations, judging: architecture)
        out.pointee = try duplicate(JSONWriter.write(.array(messages.map(\.json))))
    }
}

/// `llmnas_llmpp_predict`: LLM-PP scores of a JSON array of architectures, one status per item.
@c @implementation public func llmnas_llmpp_predict(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
    _ scores: UnsafeMutablePointer<Double>?, _ itemStatus: UnsafeMutablePointer<llmnas_status>?,
    _ n: Int, _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?
) -> llmnas_status {
    llmppPredict(llm, space, taskJSON, demosJSON, archsJSON, scores, nil, nil, nil, itemStatus, n, progress, userData)
}

/// `llmnas_llmpp_predict_spread`: `llmnas_llmpp_predict` with each item's standard deviation and range over its
/// samples.
@c @implementation public func llmnas_llmpp_predict_spread(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
    _ scores: UnsafeMutablePointer<Double>?, _ stddevs: UnsafeMutablePointer<Double>?,
    _ lows: UnsafeMutablePointer<Double>?, _ highs: UnsafeMutablePointer<Double>?,
    _ itemStatus: UnsafeMutablePointer<llmnas_status>?, _ n: Int,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?
) -> llmnas_status {
    llmppPredict(
        llm, space, taskJSON, demosJSON, archsJSON, scores, stddevs, lows, highs, itemStatus, n, progress, userData)
}

/// Both LLM-PP prediction functions: scores into `scores`, and the spreads into the arrays that are not NULL.
private func llmppPredict(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
    _ scores: UnsafeMutablePointer<Double>?, _ stddevs: UnsafeMutablePointer<Double>?,
    _ lows: UnsafeMutablePointer<Double>?, _ highs: UnsafeMutablePointer<Double>?,
    _ itemStatus: UnsafeMutablePointer<llmnas_status>?, _ n: Int,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let (predictor, architectures) = try llmppRequest(llm, space, taskJSON, demosJSON, archsJSON, n)
        let out = try output(scores, "scores")
        let callback = ProgressCallback(function: progress, userData: userData)
        let results = predictor.predictWithSpread(architectures, progress: callback.report)
        for (i, result) in results.enumerated() {
            let estimate = try? result.get()
            out[i] = estimate?.value ?? .nan
            stddevs?[i] = estimate?.standardDeviation ?? .nan
            lows?[i] = estimate?.low ?? .nan
            highs?[i] = estimate?.high ?? .nan
            if case .failure(let error) = result {
                itemStatus?[i] = error.kind.status
            } else {
                itemStatus?[i] = LLMNAS_OK
            }
        }
        try BatchOutcome.check(results)
    }
}

/// `llmnas_llmpp_estimate`: what `llmnas_llmpp_predict` with these arguments would send and cost, as JSON.
@c @implementation public func llmnas_llmpp_estimate(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?, _ n: Int,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let (predictor, architectures) = try llmppRequest(llm, space, taskJSON, demosJSON, archsJSON, n)
        out.pointee = try duplicate(JSONWriter.write(predictor.estimate(architectures).json))
    }
}

/// `llmnas_llmpp_validate`: cross-validated figures of LLM-PP, calibrated LLM-PP, the cost baselines and the
/// combined predictor on the demonstrations themselves.
@c @implementation public func llmnas_llmpp_validate(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    demonstrationsCall(llm, space, taskJSON, demosJSON, optionsJSON, progress, userData, outJSON) {
        (predictor, options, report) throws(LLMNASError) in
        try CrossValidation.run(predictor, options: ValidationOptions(json: options), progress: report)
    }
}

/// `llmnas_llmpp_choose`: the prompt mode and predictor chosen by cross-validated error on the demonstrations,
/// within a request budget.
@c @implementation public func llmnas_llmpp_choose(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    demonstrationsCall(llm, space, taskJSON, demosJSON, optionsJSON, progress, userData, outJSON) {
        (predictor, options, report) throws(LLMNASError) in
        try ModeChoice(json: options).run(
            client: predictor.client, space: predictor.builder.space, task: predictor.builder.task,
            demonstrations: predictor.demonstrations, progress: report
        ).json
    }
}

/// A call that studies the demonstrations (validation, choice): its arguments checked, `body` given the predictor,
/// the options and the progress report, its JSON written to `outJSON`.
private func demonstrationsCall(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ body: (LLMPPPredictor, JSONValue?, ProgressHandler) throws(LLMNASError) -> JSONValue
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let (predictor, _) = try llmppRequest(llm, space, taskJSON, demosJSON, "[]", 0)
        let options = try optionalJSON(optionsJSON, "options_json")
        let callback = ProgressCallback(function: progress, userData: userData)
        out.pointee = try duplicate(JSONWriter.write(body(predictor, options, callback.report)))
    }
}

/// The predictor and the architectures of an LLM-PP call, its arguments checked.
private func llmppRequest(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
    _ n: Int
) throws(LLMNASError) -> (LLMPPPredictor, [Architecture]) {
    let client = try LLMHandle.value(llm, "llm")
    let space = try SpaceHandle.value(space, "space")
    let task = try PredictionTask(json: optionalJSON(taskJSON, "task_json"))
    let demonstrations = try Demonstration.list(fromJSON: text(demosJSON, "demos_json"), in: space)
    let architectures = try ArchitectureBatch.parse(text(archsJSON, "archs_json"), in: space)
    guard architectures.count == n else {
        throw LLMNASError(.invalidArgument, "n is \(n) but archs_json holds \(architectures.count) architectures")
    }
    return (LLMPPPredictor(client: client, space: space, task: task, demonstrations: demonstrations), architectures)
}

/// `llmnas_llmpp_distill`: LLM-Distill-PP: label a pool's architectures with LLM-PP and train an MLP on them.
@c @implementation public func llmnas_llmpp_distill(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ poolPath: UnsafePointer<CChar>?, _ labels: Int,
    _ seed: UInt64, _ mlpConfigJSON: UnsafePointer<CChar>?, _ progress: llmnas_progress_fn?,
    _ userData: UnsafeMutableRawPointer?, _ outMLP: UnsafeMutablePointer<OpaquePointer?>?,
    _ outReport: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
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
        let (model, figures) = try Distillation.run(
            predictor: predictor, pool: pool, labels: labels, seed: seed,
            config: config, progress: callback.report)
        report.pointee = try duplicate(JSONWriter.write(figures))
        out.pointee = MLPHandle(model).retainedPointer()
    }
}
