/// The parts of an OpenAI-compatible completion response the library uses: the text of each choice and the token
/// counts.
package struct CompletionResponse {
    /// One text per returned choice (a chat message's content or a completion's text; "" when null).
    package let texts: [String]
    /// Prompt tokens, if the server reported usage.
    let promptTokens: Int
    /// Completion tokens, if the server reported usage.
    let completionTokens: Int
    /// Prompt tokens the endpoint served from its prefix cache (at most `promptTokens`), if it said.
    let cachedPromptTokens: Int

    /// Parses a response body; malformed or truncated JSON, an error object or no choices is `badResponse`.
    package init(body: String) throws(LLMNASError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw LLMNASError(.badResponse, "the response is not JSON (\(error.message)): \(CompletionResponse.snippet(body))")
        }
        guard let choices = json["choices"]?.arrayValue, !choices.isEmpty else {
            throw LLMNASError(.badResponse, "the response has no choices: \(CompletionResponse.snippet(body))")
        }
        texts = choices.map { choice in
            choice["message"]?["content"]?.stringValue ?? choice["text"]?.stringValue ?? ""
        }
        promptTokens = max(0, json["usage"]?["prompt_tokens"]?.exactInt ?? 0)
        completionTokens = max(0, json["usage"]?["completion_tokens"]?.exactInt ?? 0)
        // OpenAI, Azure, DeepSeek and vLLM report cached prefix tokens in usage; llama-server in its timings.
        let cached = json["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.exactInt ?? json["timings"]?["cache_n"]?.exactInt ?? 0
        cachedPromptTokens = min(max(0, cached), promptTokens)
    }

    /// The start of a text, for messages.
    static func snippet(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }
}
