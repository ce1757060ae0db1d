/// What an LLM client has used: HTTP attempts, retries, failed items, cache hits, tokens, money and time.
public struct UsageLedger: Sendable, Equatable {
    /// HTTP attempts made (first tries and retries).
    public var requests = 0
    /// Attempts that were retries.
    public var retries = 0
    /// Items that failed after all attempts.
    public var failures = 0
    /// Items answered from the response cache.
    public var cacheHits = 0
    /// Prompt tokens the server reported.
    public var promptTokens = 0
    /// Of those, the ones the endpoint served from its prefix cache (priced apart).
    public var cachedPromptTokens = 0
    /// Completion tokens the server reported.
    public var completionTokens = 0
    /// Dollars, from the configured prices.
    public var cost = 0.0
    /// Seconds spent in batches.
    public var wallSeconds = 0.0

    /// An empty ledger.
    public init() {}

    /// The ledger as JSON, as `llmnas_llm_usage_json` returns it.
    public var json: JSONValue {
        .object([
            ("requests", .number(Double(requests))), ("retries", .number(Double(retries))),
            ("failures", .number(Double(failures))), ("cache_hits", .number(Double(cacheHits))),
            ("prompt_tokens", .number(Double(promptTokens))), ("cached_prompt_tokens", .number(Double(cachedPromptTokens))),
            ("completion_tokens", .number(Double(completionTokens))),
            ("cost", .number(cost)), ("wall_seconds", .number(wallSeconds)),
        ])
    }
}
