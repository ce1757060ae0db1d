import CLLMNAS
import LLMNASCore

/// `llmnas_protocol_run`: the paper's evaluation over the labelled data in `data_dir`.
@c @implementation public func llmnas_protocol_run(
    _ llm: OpaquePointer?, _ dataDir: UnsafePointer<CChar>?, _ optionsJSON: UnsafePointer<CChar>?,
    _ progress: llmnas_progress_fn?, _ userData: UnsafeMutableRawPointer?,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let client = try llm.map { (pointer: OpaquePointer) throws(LLMNASError) in try LLMHandle.value(pointer, "llm") }
        let data = try LabeledData(directory: text(dataDir, "data_dir"))
        let options = try PaperProtocol.Options(json: optionalJSON(optionsJSON, "options_json"))
        let callback = ProgressCallback(function: progress, userData: userData)
        let result = try PaperProtocol.run(data: data, client: client, options: options, progress: callback.report)
        out.pointee = try duplicate(JSONWriter.write(result.json))
    }
}
