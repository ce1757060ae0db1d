/// What an LLM client has used: requests, retries, failed items, cache hits, tokens, money and time.
public struct UsageLedger: Sendable, Equatable {
    /// Completion requests made: HTTP attempts (first tries and retries) and items of batch jobs.
    public var requests = 0
    /// Attempts that were retries.
    public var retries = 0
    /// Items that failed: no response after all attempts (those the budget refused included), or a response whose
    /// answer held no usable score.
    public var failures = 0
    /// The failed items by the kind of their failure.
    public var failuresByKind: [LLMNASError.Kind: Int] = [:]
    /// Items answered from the response cache.
    public var cacheHits = 0
    /// Items not sent because they could pass `max_cost` or `max_requests`.
    public var budgetRefused = 0
    /// Batch API jobs created.
    public var batchJobs = 0
    /// Prompt tokens the server reported.
    public var promptTokens = 0
    /// Of those, the ones the endpoint served from its prefix cache (priced apart).
    public var cachedPromptTokens = 0
    /// Completion tokens the server reported.
    public var completionTokens = 0
    /// Dollars, from the configured prices (batch-job answers at the batch price factor).
    public var cost = 0.0
    /// Seconds spent in batches.
    public var wallSeconds = 0.0

    /// An empty ledger.
    public init() {}

    /// Counts the tokens and the cost of one answer.
    mutating func charge(_ response: CompletionResponse, config: LLMConfig, batch: Bool) {
        promptTokens += response.promptTokens
        cachedPromptTokens += response.cachedPromptTokens
        completionTokens += response.completionTokens
        cost += config.cost(of: response, batch: batch)
    }

    /// Counts one failed item.
    mutating func recordFailure(_ kind: LLMNASError.Kind) {
        failures += 1
        failuresByKind[kind, default: 0] += 1
    }

    /// The ledger as JSON, as `llmnas_llm_usage` returns it; `statusName` names a kind of failure in
    /// "failures_by_status" (the C layer passes the header's status names).
    public func json(statusName: (LLMNASError.Kind) -> String) -> JSONValue {
        let byStatus = LLMNASError.Kind.allCases.compactMap { kind in
            failuresByKind[kind].map { (statusName(kind), JSONValue.number(Double($0))) }
        }
        return .object([
            ("requests", .number(Double(requests))), ("retries", .number(Double(retries))),
            ("failures", .number(Double(failures))), ("failures_by_status", .object(byStatus)),
            ("cache_hits", .number(Double(cacheHits))),
            ("budget_refused", .number(Double(budgetRefused))), ("batch_jobs", .number(Double(batchJobs))),
            ("prompt_tokens", .number(Double(promptTokens))),
            ("cached_prompt_tokens", .number(Double(cachedPromptTokens))),
            ("completion_tokens", .number(Double(completionTokens))),
            ("cost", .number(cost)), ("wall_seconds", .number(wallSeconds)),
        ])
    }
}
