import CLLMNAS
import LLMNASCore

/// `llmnas_search *`: a search in progress, one thread at a time.
typealias SearchHandle = Handle<HybridSearch>

/// `llmnas_search_create`: a search of `space` configured by `config_json`.
@c @implementation public func llmnas_search_create(
    _ space: OpaquePointer?, _ configJSON: UnsafePointer<CChar>?,
    _ outSearch: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outSearch, "out_search")
        let space = try SpaceHandle.value(space, "space")
        let config = try SearchConfig(json: optionalJSON(configJSON, "config_json"), space: space)
        out.pointee = SearchHandle(try HybridSearch(space: space, config: config)).retainedPointer()
    }
}

/// `llmnas_search_resume`: a search read back from its checkpoint.
@c @implementation public func llmnas_search_resume(
    _ path: UnsafePointer<CChar>?, _ outSearch: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outSearch, "out_search")
        out.pointee = SearchHandle(try SearchCheckpoint.read(text(path, "path"))).retainedPointer()
    }
}

/// `llmnas_search_bind_mlp`: a model for a named MLP estimator or latency constraint.
@c @implementation public func llmnas_search_bind_mlp(
    _ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ mlp: OpaquePointer?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        try SearchHandle.value(search, "search").bind(model: MLPHandle.value(mlp, "mlp"), to: text(name, "name"))
    }
}

/// `llmnas_search_bind_llm`: a client for a named LLM estimator.
@c @implementation public func llmnas_search_bind_llm(
    _ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ llm: OpaquePointer?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        try SearchHandle.value(search, "search").bind(client: LLMHandle.value(llm, "llm"), to: text(name, "name"))
    }
}

/// `llmnas_search_bind_constraint`: a callback for a named host constraint.
@c @implementation public func llmnas_search_bind_constraint(
    _ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: llmnas_value_fn?,
    _ userData: UnsafeMutableRawPointer?
) -> llmnas_status {
    bindHostFunction(search, name, function) { (target, constraint, function) throws(LLMNASError) in
        let space = target.space
        try target.bind(constraint: constraint) { (architecture: Architecture) throws(LLMNASError) -> Double in
            var value = Double.nan
            let status = space.jsonText(of: architecture).withCString { function($0, &value, userData) }
            guard status == 0 else {
                throw LLMNASError(.cancelled, "host constraint '\(constraint)' returned \(status)")
            }
            return value
        }
    }
}

/// `llmnas_search_ask`: the batch the current iteration needs from its host estimator.
@c @implementation public func llmnas_search_ask(
    _ search: OpaquePointer?, _ outCandidates: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ outEstimator: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let candidatesOut = try output(outCandidates, "out_candidates_json")
        let estimatorOut = try output(outEstimator, "out_estimator_name")
        let target = try SearchHandle.value(search, "search")
        let (candidates, estimator) = try target.ask()
        let list = try duplicate(JSONWriter.write(.array(candidates.map(target.space.json))))
        let name: UnsafeMutablePointer<CChar>
        do throws(LLMNASError) { name = try duplicate(estimator) } catch {
            llmnas_string_free(list)
            throw error
        }
        candidatesOut.pointee = list
        estimatorOut.pointee = name
    }
}

/// `llmnas_search_tell`: the scores of the last ask's candidates.
@c @implementation public func llmnas_search_tell(_ search: OpaquePointer?, _ scores: UnsafePointer<Double>?, _ n: Int)
    -> llmnas_status
{
    llmnas_search_tell_spread(search, scores, nil, n)
}

/// `llmnas_search_tell_spread`: the scores of the last ask's candidates with their spreads, if given.
@c @implementation public func llmnas_search_tell_spread(
    _ search: OpaquePointer?, _ scores: UnsafePointer<Double>?,
    _ spreads: UnsafePointer<Double>?, _ n: Int
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        // The count is checked against the batch asked before the buffers are read: a wrong n reads nothing.
        try target.checkTellCount(n)
        guard let scores else { throw LLMNASError(.invalidArgument, "scores is NULL") }
        try target.tell(
            Array(UnsafeBufferPointer(start: scores, count: n)),
            spreads: spreads.map { Array(UnsafeBufferPointer(start: $0, count: n)) })
    }
}

/// `llmnas_search_run`: the search to its end with host estimator callbacks.
@c @implementation public func llmnas_search_run(
    _ search: OpaquePointer?, _ estimators: UnsafePointer<llmnas_estimator>?, _ count: Int,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        let estimators = try HostEstimator.read(estimators, count: count)
        let callback = ProgressCallback(function: progress, userData: userData)
        try target.run(
            hostEstimators: Set(estimators.keys),
            score: { (name: String, candidates: [Architecture]) throws(LLMNASError) -> HybridSearch.HostScores in
                let list = JSONWriter.write(.array(candidates.map(target.space.json)))
                return try estimators[name]!.call(named: name, on: list, count: candidates.count)
            },
            progress: callback.report)
    }
}

/// `llmnas_search_best`: the best architecture so far.
@c @implementation public func llmnas_search_best(
    _ search: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(SearchHandle.value(search, "search").bestJSON()))
    }
}

/// `llmnas_search_history`: progress, estimator calls and the record of every iteration.
@c @implementation public func llmnas_search_history(
    _ search: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(SearchHandle.value(search, "search").historyJSON()))
    }
}

/// `llmnas_search_trials`: every architecture an estimator scored, with its iteration, score and constraints.
@c @implementation public func llmnas_search_trials(
    _ search: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(SearchHandle.value(search, "search").trialsJSON()))
    }
}

/// `llmnas_search_write_report`: the history as JSON Lines, CSV or HTML.
@c @implementation public func llmnas_search_write_report(
    _ search: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ format: UnsafePointer<CChar>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        try SearchReport.write(
            target, format: SearchReport.format(named: text(format, "format")), to: text(path, "path"))
    }
}

/// `llmnas_search_free`: releases a search; NULL is ignored.
@c @implementation public func llmnas_search_free(_ search: OpaquePointer?) { SearchHandle.release(search) }
