/// What a batch of prompts would cost, worked out before anything is sent: after the response cache, with prompt
/// tokens counted by the endpoint's tokenizer when it has one (llama-server's `/tokenize`), else from the tokens per
/// byte of the requests the client has had answered, else by the rule of `TokenRate.ruleTokensPerByte`.
public struct PromptEstimate: Sendable, Equatable {
    /// Where the prompt token counts come from.
    public enum TokenSource: String, Sendable {
        /// The endpoint's own tokenizer, request by request.
        case tokenizer
        /// The tokens per byte of the requests this client had answered.
        case observed
        /// Four bytes of request body per token.
        case rule
    }

    /// Prompts asked about.
    public var items = 0
    /// Of those, the ones the response cache answers.
    public var cached = 0
    /// Requests to send (equal prompts once).
    public var requests = 0
    /// Their prompt tokens.
    public var promptTokens = 0
    /// Their completion tokens, projected: the mean of this client's answers so far, else every sample at `max_tokens`.
    public var completionTokens = 0
    /// Their completion tokens if every sample ran to `max_tokens`.
    public var completionTokensMax = 0
    /// The projected dollars: prompt tokens at the prompt price (no prefix-cache discount assumed), projected
    /// completion tokens, times the batch price factor when the client uses the Batch API.
    public var cost = 0.0
    /// The most dollars the requests can cost (completion tokens at their maximum).
    public var costMax = 0.0
    /// Where the prompt token counts come from.
    public var tokenSource = TokenSource.rule
    /// Whether the requests would go as a Batch API job.
    public var batch = false
    /// Whether the client's budget holds the requests even at their most; nil without a budget.
    public var withinBudget: Bool?

    /// An empty estimate.
    public init() {}

    /// The estimate as JSON, as `llmnas_llmpp_estimate` returns it.
    public var json: JSONValue {
        .object([
            ("items", .number(Double(items))), ("cached", .number(Double(cached))),
            ("requests", .number(Double(requests))),
            ("prompt_tokens", .number(Double(promptTokens))), ("completion_tokens", .number(Double(completionTokens))),
            ("completion_tokens_max", .number(Double(completionTokensMax))), ("cost", .number(cost)),
            ("cost_max", .number(costMax)), ("token_source", .string(tokenSource.rawValue)), ("batch", .bool(batch)),
            ("within_budget", withinBudget.map { .bool($0) } ?? .null),
        ])
    }
}
