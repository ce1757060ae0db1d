import CLLMNAS
import LLMNASCore

/// `llmnas_llm_create`: a client for the endpoint a config JSON describes.
@c @implementation public func llmnas_llm_create(
    _ configJSON: UnsafePointer<CChar>?, _ outLLM: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outLLM, "out_llm")
        let config = try LLMConfig(json: JSONParser.parse(text(configJSON, "config_json")))
        out.pointee = LLMHandle(try LLMClient(config: config)).retainedPointer()
    }
}

/// `llmnas_llm_free`: releases a client handle and closes its cache; NULL is ignored.
@c @implementation public func llmnas_llm_free(_ llm: OpaquePointer?) { LLMHandle.release(llm) }

/// `llmnas_llm_usage`: the client's usage ledger as JSON.
@c @implementation public func llmnas_llm_usage(
    _ llm: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let client = try LLMHandle.value(llm, "llm")
        let usage = client.ledger.json(statusName: \.statusName).objectMembers ?? []
        let calibration = client.lastCalibration.map { [("calibration", $0.json)] } ?? []
        out.pointee = try duplicate(JSONWriter.write(.object(usage + calibration)))
    }
}

/// `llmnas_llm_propose`: architectures the LLM proposes, each judged against the space, its rules and the budgets.
@c @implementation public func llmnas_llm_propose(
    _ llm: OpaquePointer?, _ space: OpaquePointer?, _ taskJSON: UnsafePointer<CChar>?,
    _ demosJSON: UnsafePointer<CChar>?, _ requestJSON: UnsafePointer<CChar>?,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let client = try LLMHandle.value(llm, "llm")
        let space = try SpaceHandle.value(space, "space")
        let task = try PredictionTask(json: optionalJSON(taskJSON, "task_json"))
        let demonstrations = try Demonstration.list(fromJSON: text(demosJSON, "demos_json"), in: space)
        guard !demonstrations.isEmpty else {
            throw LLMNASError(.invalidArgument, "demos_json holds no demonstration; proposals need at least one")
        }
        let request = try ProposalRequest(json: optionalJSON(requestJSON, "request_json"), space: space)
        let proposer = LLMProposer(client: client, space: space, task: task, demonstrations: demonstrations)
        out.pointee = try duplicate(JSONWriter.write(proposer.propose(request).json(in: space)))
    }
}
