/// Estimates before sending: requests, tokens and cost of a batch of prompts.
extension LLMClient {
    /// What `complete(prompts)` would send and cost now; sends no completion request (only, to a server with a
    /// tokenizer, requests to count tokens).
    public func estimate(_ prompts: [[ChatMessage]]) -> PromptEstimate {
        let plan = plan(prompts, shape: AnswerShape(scoresOf: config))
        var estimate = PromptEstimate()
        estimate.items = prompts.count
        estimate.cached = plan.answered.count
        estimate.requests = plan.jobs.count
        estimate.batch = config.batch != nil
        if let counted = tokenizerCounts(plan.jobs) {
            estimate.promptTokens = counted.reduce(0, +)
            estimate.tokenSource = .tokenizer
        } else {
            let rate = tokenRate.observed ?? TokenRate.ruleTokensPerByte
            let bytes = plan.jobs.reduce(0) { $0 + $1.body.utf8.count }
            estimate.promptTokens = Int((rate * Double(bytes)).rounded())
            estimate.tokenSource = tokenRate.observed == nil ? .rule : .observed
        }
        let perRequestMax = config.maxTokens * config.samples
        estimate.completionTokensMax = perRequestMax * plan.jobs.count
        estimate.completionTokens =
            completionTokensSeen.answers > 0
            ? Int(
                (Double(completionTokensSeen.tokens) / Double(completionTokensSeen.answers) * Double(plan.jobs.count))
                    .rounded())
            : estimate.completionTokensMax
        let factor = estimate.batch ? (config.batch?.priceFactor ?? 1) : 1
        let promptCost = Double(estimate.promptTokens) / 1000 * config.pricePromptPer1k
        estimate.cost = (promptCost + Double(estimate.completionTokens) / 1000 * config.priceCompletionPer1k) * factor
        estimate.costMax =
            (promptCost + Double(estimate.completionTokensMax) / 1000 * config.priceCompletionPer1k) * factor
        if config.maxCost != nil || config.maxRequests != nil {
            let costFits = config.maxCost.map { ledger.cost + estimate.costMax <= $0 * (1 + 1e-12) } ?? true
            let requestsFit = config.maxRequests.map { ledger.requests + estimate.requests <= $0 } ?? true
            estimate.withinBudget = costFits && requestsFit
        }
        return estimate
    }

    /// The prompt tokens of each job by the endpoint's tokenizer (llama-server: `/apply-template` renders the chat
    /// messages as the model sees them, `/tokenize` counts them with the model's special tokens), or nil when the
    /// endpoint has none; the first failure marks the endpoint as having none.
    private func tokenizerCounts(_ jobs: [Job]) -> [Int]? {
        guard hasTokenizer != false, !jobs.isEmpty else { return jobs.isEmpty ? [] : nil }
        let root = config.baseURL.hasSuffix("/v1") ? String(config.baseURL.dropLast(3)) : config.baseURL
        var counts: [Int] = []
        do {
            for job in jobs {
                let request = try JSONParser.parse(job.body)
                var text = request["prompt"]?.stringValue
                if let messages = request["messages"] {
                    let body = JSONWriter.write(.object([("messages", messages)]))
                    let rendered = try JSONParser.parse(
                        String(
                            decoding: try call(
                                HTTPRequest(
                                    url: root + "/apply-template", headers: requestHeaders(), body: Array(body.utf8)),
                                "apply-template"), as: UTF8.self))
                    text = rendered["prompt"]?.stringValue
                }
                guard let text else { throw LLMNASError(.badResponse, "no prompt text to count") }
                let body = JSONWriter.write(.object([("content", .string(text)), ("add_special", .bool(true))]))
                let tokens = try JSONParser.parse(
                    String(
                        decoding: try call(
                            HTTPRequest(url: root + "/tokenize", headers: requestHeaders(), body: Array(body.utf8)),
                            "tokenize"), as: UTF8.self))
                guard let list = tokens["tokens"]?.arrayValue else { throw LLMNASError(.badResponse, "no tokens") }
                counts.append(list.count)
            }
        } catch {
            hasTokenizer = false
            return nil
        }
        hasTokenizer = true
        return counts
    }
}
