import Glibc

/// One answer of a completion: its text and, when the endpoint returned them, its tokens with their most likely
/// alternatives.
package struct CompletionChoice: Sendable {
    /// A chat message's content or a completion's text ("" when null).
    package let text: String
    /// The answer's tokens in order, each with the alternatives the endpoint listed and their probabilities (the
    /// token itself among them); nil without log-probabilities.
    package let tokens: [(token: String, alternatives: [(token: String, probability: Double)])]?
}

/// The parts of an OpenAI-compatible completion response the library uses: each choice and the token counts.
package struct CompletionResponse {
    /// One per returned choice.
    package let choices: [CompletionChoice]
    /// Their texts.
    package var texts: [String] { choices.map(\.text) }
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
            throw LLMNASError(
                .badResponse, "the response is not JSON (\(error.message)): \(CompletionResponse.snippet(body))")
        }
        guard let choices = json["choices"]?.arrayValue, !choices.isEmpty else {
            throw LLMNASError(.badResponse, "the response has no choices: \(CompletionResponse.snippet(body))")
        }
        self.choices = choices.map { choice in
            CompletionChoice(
                text: choice["message"]?["content"]?.stringValue ?? choice["text"]?.stringValue ?? "",
                tokens: CompletionResponse.tokens(of: choice["logprobs"]))
        }
        promptTokens = max(0, json["usage"]?["prompt_tokens"]?.exactInt ?? 0)
        completionTokens = max(0, json["usage"]?["completion_tokens"]?.exactInt ?? 0)
        // OpenAI, Azure, DeepSeek and vLLM report cached prefix tokens in usage; llama-server in its timings.
        let cached =
            json["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.exactInt ?? json["timings"]?["cache_n"]?.exactInt
            ?? 0
        cachedPromptTokens = min(max(0, cached), promptTokens)
    }

    /// The tokens of a choice's "logprobs": OpenAI's chat form (`content`: token, logprob, top_logprobs) or the
    /// completions form (`tokens`, `token_logprobs`, `top_logprobs` as token → logprob objects); nil for neither.
    static func tokens(of logprobs: JSONValue?) -> [(
        token: String, alternatives: [(token: String, probability: Double)]
    )]? {
        func probability(_ value: JSONValue?) -> Double? {
            if case .number(let logprob)? = value, logprob <= 0 { return Glibc.exp(logprob) } else { return nil }
        }
        if let content = logprobs?["content"]?.arrayValue {
            return content.compactMap { entry in
                guard let token = entry["token"]?.stringValue, let chosen = probability(entry["logprob"]) else {
                    return nil
                }
                var alternatives = (entry["top_logprobs"]?.arrayValue ?? []).compactMap {
                    top -> (token: String, probability: Double)? in
                    guard let text = top["token"]?.stringValue, let p = probability(top["logprob"]) else { return nil }
                    return (text, p)
                }
                if !alternatives.contains(where: { $0.token == token }) { alternatives.insert((token, chosen), at: 0) }
                return (token, alternatives)
            }
        }
        guard let tokens = logprobs?["tokens"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
        let chosen = logprobs?["token_logprobs"]?.arrayValue ?? []
        let tops = logprobs?["top_logprobs"]?.arrayValue ?? []
        return tokens.enumerated().map { i, token in
            var alternatives = (i < tops.count ? tops[i].objectMembers ?? [] : []).compactMap {
                member -> (token: String, probability: Double)? in
                probability(member.1).map { (member.0, $0) }
            }
            if !alternatives.contains(where: { $0.token == token }) {
                alternatives.insert((token, i < chosen.count ? probability(chosen[i]) ?? 1 : 1), at: 0)
            }
            return (token, alternatives)
        }
    }

    /// The start of a text, for messages.
    static func snippet(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }
}
