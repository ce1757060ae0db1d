import LLMNASCore

/// `llmnas_search *`: a search in progress, one thread at a time.
typealias SearchHandle = Handle<HybridSearch>

/// The memory layout of `llmnas_estimator` in include/llmnas.h.
struct EstimatorRecord {
    var name: UnsafePointer<CChar>?
    var score: (@convention(c) (UnsafePointer<CChar>?, UInt, UnsafeMutablePointer<Double>?, UnsafeMutableRawPointer?) -> Int32)?
    var userData: UnsafeMutableRawPointer?
}

/// `llmnas_value_fn`.
public typealias ValueFunction = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<Double>?, UnsafeMutableRawPointer?) -> Int32

/// `llmnas_search_create`: a search of `space` configured by `config_json`.
@c public func llmnas_search_create(_ space: OpaquePointer?, _ configJSON: UnsafePointer<CChar>?,
                                    _ outSearch: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary { () throws(LLMNASError) in
        let out = try output(outSearch, "out_search")
        let space = try SpaceHandle.value(space, "space")
        let config = try SearchConfig(json: optionalJSON(configJSON, "config_json"), space: space)
        out.pointee = SearchHandle(try HybridSearch(space: space, config: config, builtinModels: builtinLatencyModel)).retainedPointer()
    }
}

/// `llmnas_search_resume`: a search read back from its checkpoint.
@c public func llmnas_search_resume(_ path: UnsafePointer<CChar>?, _ outSearch: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary { () throws(LLMNASError) in
        let out = try output(outSearch, "out_search")
        out.pointee = SearchHandle(try SearchCheckpoint.read(text(path, "path"), builtinModels: builtinLatencyModel)).retainedPointer()
    }
}

/// `llmnas_search_bind_mlp`: a model for a named MLP estimator or latency constraint.
@c public func llmnas_search_bind_mlp(_ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ mlp: OpaquePointer?) -> Int32 {
    boundary { () throws(LLMNASError) in
        try SearchHandle.value(search, "search").bind(model: MLPHandle.value(mlp, "mlp"), to: text(name, "name"))
    }
}

/// `llmnas_search_bind_llm`: a client for a named LLM estimator.
@c public func llmnas_search_bind_llm(_ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ llm: OpaquePointer?) -> Int32 {
    boundary { () throws(LLMNASError) in
        try SearchHandle.value(search, "search").bind(client: LLMHandle.value(llm, "llm"), to: text(name, "name"))
    }
}

/// `llmnas_search_bind_constraint`: a callback for a named host constraint.
@c public func llmnas_search_bind_constraint(_ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: ValueFunction?,
                                             _ userData: UnsafeMutableRawPointer?) -> Int32 {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        let constraint = try text(name, "name")
        guard let function else { throw LLMNASError(.invalidArgument, "fn is NULL") }
        let space = target.space
        try target.bind(constraint: constraint) { (architecture: Architecture) throws(LLMNASError) -> Double in
            var value = Double.nan
            let status = space.jsonText(of: architecture).withCString { function($0, &value, userData) }
            guard status == 0 else { throw LLMNASError(.cancelled, "host constraint '\(constraint)' returned \(status)") }
            return value
        }
    }
}

/// `llmnas_search_ask`: the batch the current iteration needs from its host estimator.
@c public func llmnas_search_ask(_ search: OpaquePointer?, _ outCandidates: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                                 _ outEstimator: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
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
@c public func llmnas_search_tell(_ search: OpaquePointer?, _ scores: UnsafePointer<Double>?, _ n: UInt) -> Int32 {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        // The count is checked against the batch asked before the buffer is read: a wrong n reads nothing.
        try target.checkTellCount(Int(clamping: n))
        guard let scores else { throw LLMNASError(.invalidArgument, "scores is NULL") }
        try target.tell(Array(UnsafeBufferPointer(start: scores, count: Int(n))))
    }
}

/// `llmnas_search_run`: the search to its end with host estimator callbacks.
@c public func llmnas_search_run(_ search: OpaquePointer?, _ estimators: UnsafeRawPointer?, _ count: UInt,
                                 _ progress: ProgressFunction?, _ userData: UnsafeMutableRawPointer?) -> Int32 {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        guard count <= 64 else { throw LLMNASError(.invalidArgument, "n_estimators \(count) exceeds 64") }
        guard count == 0 || estimators != nil else { throw LLMNASError(.invalidArgument, "estimators is NULL") }
        var callbacks: [String: EstimatorRecord] = [:]
        let records = estimators?.assumingMemoryBound(to: EstimatorRecord.self)
        for i in 0..<Int(count) {
            let record = records![i]
            guard record.score != nil else { throw LLMNASError(.invalidArgument, "estimators[\(i)].score is NULL") }
            callbacks[try text(record.name, "estimators[\(i)].name")] = record
        }
        let callback = ProgressCallback(function: progress, userData: userData)
        try target.run(hostEstimators: Set(callbacks.keys), score: { (name: String, candidates: [Architecture]) throws(LLMNASError) -> [Double] in
            let record = callbacks[name]!
            var scores = [Double](repeating: .nan, count: candidates.count)
            let list = JSONWriter.write(.array(candidates.map(target.space.json)))
            let status = list.withCString { record.score!($0, UInt(candidates.count), &scores, record.userData) }
            guard status == 0 else { throw LLMNASError(.cancelled, "host estimator '\(name)' returned \(status); the scores told before are kept") }
            return scores
        }, progress: { done, total, best in callback.report(stage: "search", done: done, total: total, value: best) })
    }
}

/// `llmnas_search_best_json`: the best architecture so far.
@c public func llmnas_search_best_json(_ search: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(SearchHandle.value(search, "search").bestJSON()))
    }
}

/// `llmnas_search_history_json`: progress, estimator calls and the record of every iteration.
@c public func llmnas_search_history_json(_ search: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(SearchHandle.value(search, "search").historyJSON()))
    }
}

/// `llmnas_search_write_report`: the history as JSON Lines, CSV or HTML.
@c public func llmnas_search_write_report(_ search: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ format: UnsafePointer<CChar>?) -> Int32 {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        try SearchReport.write(target, format: SearchReport.format(named: text(format, "format")), to: text(path, "path"))
    }
}

/// `llmnas_search_free`: releases a search; NULL is ignored.
@c public func llmnas_search_free(_ search: OpaquePointer?) { SearchHandle.release(search) }
