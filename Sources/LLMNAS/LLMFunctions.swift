import CLLMNAS
import LLMNASCore

/// `llmnas_llm_create`: a client for the endpoint a config JSON describes.
@c @implementation public func llmnas_llm_create(_ configJSON: UnsafePointer<CChar>?, _ outLLM: UnsafeMutablePointer<OpaquePointer?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outLLM, "out_llm")
        let config = try LLMConfig(json: JSONParser.parse(text(configJSON, "config_json")))
        out.pointee = LLMHandle(try LLMClient(config: config)).retainedPointer()
    }
}

/// `llmnas_llm_free`: releases a client handle and closes its cache; NULL is ignored.
@c @implementation public func llmnas_llm_free(_ llm: OpaquePointer?) { LLMHandle.release(llm) }

/// `llmnas_llm_usage_json`: the client's usage ledger as JSON.
@c @implementation public func llmnas_llm_usage_json(_ llm: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(LLMHandle.value(llm, "llm").ledger.json))
    }
}

/// `llmnas_prompt_build`: the LLM-PP messages for one architecture, as a JSON array.
@c @implementation public func llmnas_prompt_build(_ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?, _ demosJSON: UnsafePointer<CChar>?,
                                   _ archJSON: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
                                   _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_messages_json")
        let space = try SpaceHandle.value(space, "space")
        var task = try PredictionTask(json: optionalJSON(taskJSON, "task_json"))
        if let options = try optionalJSON(optionsJSON, "options_json") { task.options = try PromptOptions(json: options) }
        let demonstrations = try Demonstration.list(fromJSON: text(demosJSON, "demos_json"), in: space)
        let architecture = try space.architecture(fromJSON: text(archJSON, "arch_json"))
        let messages = PromptBuilder(space: space, task: task).messages(demonstrations: demonstrations, judging: architecture)
        out.pointee = try duplicate(JSONWriter.write(.array(messages.map(\.json))))
    }
}

/// `llmnas_llmpp_predict`: LLM-PP scores of a JSON array of architectures, one status per item.
@c @implementation public func llmnas_llmpp_predict(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                                    _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
                                    _ scores: UnsafeMutablePointer<Double>?, _ itemStatus: UnsafeMutablePointer<llmnas_status>?,
                                    _ n: Int, _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?) -> llmnas_status {
    llmppPredict(llm, space, taskJSON, demosJSON, archsJSON, scores, nil, nil, nil, itemStatus, n, progress, userData)
}

/// `llmnas_llmpp_predict_spread`: `llmnas_llmpp_predict` with each item's standard deviation and range over its
/// samples.
@c @implementation public func llmnas_llmpp_predict_spread(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                                           _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
                                           _ scores: UnsafeMutablePointer<Double>?, _ stddevs: UnsafeMutablePointer<Double>?,
                                           _ lows: UnsafeMutablePointer<Double>?, _ highs: UnsafeMutablePointer<Double>?,
                                           _ itemStatus: UnsafeMutablePointer<llmnas_status>?, _ n: Int,
                                           _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?) -> llmnas_status {
    llmppPredict(llm, space, taskJSON, demosJSON, archsJSON, scores, stddevs, lows, highs, itemStatus, n, progress, userData)
}

/// Both LLM-PP prediction functions: scores into `scores`, and the spreads into the arrays that are not NULL.
private func llmppPredict(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                          _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
                          _ scores: UnsafeMutablePointer<Double>?, _ stddevs: UnsafeMutablePointer<Double>?,
                          _ lows: UnsafeMutablePointer<Double>?, _ highs: UnsafeMutablePointer<Double>?,
                          _ itemStatus: UnsafeMutablePointer<llmnas_status>?, _ n: Int,
                          _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let (predictor, architectures) = try llmppRequest(llm, space, taskJSON, demosJSON, archsJSON, n)
        let out = try output(scores, "scores")
        let callback = ProgressCallback(function: progress, userData: userData)
        let results = predictor.predictWithSpread(architectures) { stage, done, total in
            callback.report(stage: stage, done: done, total: total)
        }
        for (i, result) in results.enumerated() {
            let estimate = try? result.get()
            out[i] = estimate?.value ?? .nan
            stddevs?[i] = estimate?.standardDeviation ?? .nan
            lows?[i] = estimate?.low ?? .nan
            highs?[i] = estimate?.high ?? .nan
            if case let .failure(error) = result { itemStatus?[i] = error.kind.status } else { itemStatus?[i] = LLMNAS_OK }
        }
        try BatchOutcome.check(results)
    }
}

/// `llmnas_llmpp_estimate`: what `llmnas_llmpp_predict` with these arguments would send and cost, as JSON.
@c @implementation public func llmnas_llmpp_estimate(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                                     _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?, _ n: Int,
                                     _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let (predictor, architectures) = try llmppRequest(llm, space, taskJSON, demosJSON, archsJSON, n)
        out.pointee = try duplicate(JSONWriter.write(predictor.estimate(architectures).json))
    }
}

/// `llmnas_llmpp_validate`: cross-validated figures of LLM-PP, calibrated LLM-PP and the cost baselines on the
/// demonstrations themselves.
@c @implementation public func llmnas_llmpp_validate(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                                     _ demosJSON: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
                                     _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
                                     _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let (predictor, _) = try llmppRequest(llm, space, taskJSON, demosJSON, "[]", 0)
        let options = try ValidationOptions(json: optionalJSON(optionsJSON, "options_json"))
        let callback = ProgressCallback(function: progress, userData: userData)
        let result = try CrossValidation.run(predictor, options: options) { done, total in
            callback.report(stage: "validation", done: done, total: total)
        }
        out.pointee = try duplicate(JSONWriter.write(result))
    }
}

/// `llmnas_llm_propose`: architectures the LLM proposes, each judged against the space, its rules and the budgets.
@c @implementation public func llmnas_llm_propose(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                                  _ demosJSON: UnsafePointer<CChar>?, _ requestJSON: UnsafePointer<CChar>?,
                                  _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let client = try LLMHandle.value(llm, "llm")
        let space = try SpaceHandle.value(space, "space")
        let task = try PredictionTask(json: optionalJSON(taskJSON, "task_json"))
        let demonstrations = try Demonstration.list(fromJSON: text(demosJSON, "demos_json"), in: space)
        guard !demonstrations.isEmpty else { throw LLMNASError(.invalidArgument, "demos_json holds no demonstration; proposals need at least one") }
        let request = try ProposalRequest(json: optionalJSON(requestJSON, "request_json"), space: space)
        let proposer = LLMProposer(client: client, space: space, task: task, demonstrations: demonstrations)
        out.pointee = try duplicate(JSONWriter.write(proposer.propose(request).json(in: space)))
    }
}

/// The predictor and the architectures of an LLM-PP call, its arguments checked.
private func llmppRequest(_ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
                          _ demosJSON: UnsafePointer<CChar>?, _ archsJSON: UnsafePointer<CChar>?,
                          _ n: Int) throws(LLMNASError) -> (LLMPPPredictor, [Architecture]) {
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

/// `llmnas_metrics`: MAE, RMSE, Kendall tau-b, Spearman and Pearson of predictions against the truth.
@c @implementation public func llmnas_metrics(_ predicted: UnsafePointer<Double>?, _ truth: UnsafePointer<Double>?, _ n: Int,
                              _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        guard let predicted, let truth else { throw LLMNASError(.invalidArgument, predicted == nil ? "predicted is NULL" : "truth is NULL") }
        let metrics = try RankMetrics(predicted: predicted, truth: truth, count: n)
        out.pointee = try duplicate(JSONWriter.write(metrics.json))
    }
}

/// `llmnas_eval_paper_protocol`: the paper's evaluation over the labelled data in `data_dir`.
@c @implementation public func llmnas_eval_paper_protocol(_ llm: OpaquePointer?, _ dataDir: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
                                          _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
                                          _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let client = try llm.map { (pointer: OpaquePointer) throws(LLMNASError) in try LLMHandle.value(pointer, "llm") }
        let data = try LabeledData(directory: text(dataDir, "data_dir"))
        let options = try PaperProtocol.Options(json: optionalJSON(optionsJSON, "options_json"))
        let callback = ProgressCallback(function: progress, userData: userData)
        let result = try PaperProtocol.run(data: data, client: client, options: options) { stage, done, total in
            callback.report(stage: stage, done: done, total: total)
        }
        out.pointee = try duplicate(JSONWriter.write(result.json))
    }
}

/// `llmnas_kendall_tau`: Kendall's tau-b of two arrays, the hot-path form of `llmnas_metrics`.
@c @implementation public func llmnas_kendall_tau(_ x: UnsafePointer<Double>?, _ y: UnsafePointer<Double>?, _ n: Int,
                                  _ outTau: UnsafeMutablePointer<Double>?) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outTau, "out_tau")
        guard let x, let y else { throw LLMNASError(.invalidArgument, x == nil ? "x is NULL" : "y is NULL") }
        out.pointee = try RankMetrics.kendallTauB(x, y, count: n)
    }
}
