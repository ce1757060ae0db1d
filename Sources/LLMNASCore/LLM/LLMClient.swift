/// A client of one OpenAI-compatible endpoint: sends batches of prompts concurrently (or as Batch API jobs), retries
/// what may succeed on a second try, answers repeated work from the response cache, keeps within its budget and
/// keeps a ledger of what was used. One client is used by one thread at a time.
public final class LLMClient {
    /// How the endpoint is reached and asked.
    public let config: LLMConfig
    /// What the client has used so far.
    public internal(set) var ledger = UsageLedger()
    /// The calibration the last calibrating prediction through this client fitted (reported with the usage).
    public internal(set) var lastCalibration: Calibration?
    /// The persistent response cache, if configured.
    let cache: ResponseCache?
    /// The HTTP connections.
    let transport: HTTPTransport
    /// Looks up the API key's variable.
    let environment: (String) -> String?
    /// The spending bounds (narrowed for a while by `withRequestCap`).
    var budget: Budget
    /// Prompt tokens per body byte of the answers so far.
    var tokenRate = TokenRate()
    /// Completion tokens of the answers so far, and how many answers.
    var completionTokensSeen = (tokens: 0, answers: 0)
    /// Whether the endpoint counts tokens itself (llama-server's /tokenize); nil until asked.
    var hasTokenizer: Bool?
    private var jitter: SeededGenerator

    /// Runs `body` with at most `requests` more requests sent (retries included) than were sent before it, within
    /// the config's own bounds; a request past the cap fails its items with `budgetExceeded`.
    public func withRequestCap<T>(_ requests: Int, _ body: () throws(LLMNASError) -> T) throws(LLMNASError) -> T {
        let saved = budget
        let cap = ledger.requests + max(0, requests)
        budget = Budget(maxCost: saved.maxCost, maxRequests: min(saved.maxRequests ?? cap, cap))
        defer { budget = saved }
        return try body()
    }

    /// One request to make: its cache key, its body and the items (equal prompts of the batch) it answers.
    struct Job {
        /// The endpoint and the body.
        let key: String
        /// The request body.
        let body: String
        /// The most completion tokens it can be charged for.
        let completionTokens: Int
        /// The items it answers.
        var items: [Int]
    }

    /// A client for `config`; opens its cache file, if one is configured. `environment` supplies the API key.
    public init(config: LLMConfig, environment: @escaping (String) -> String? = LLMConfig.processEnvironment)
        throws(LLMNASError)
    {
        self.config = config
        self.environment = environment
        cache = try config.cacheFile.map { path throws(LLMNASError) in try ResponseCache(path: path) }
        transport = try HTTPTransport(
            timeoutSeconds: config.timeoutSeconds, maxConcurrency: config.maxConcurrency,
            maxResponseBytes: config.maxResponseBytes, verifyTLS: !config.insecureSkipTLSVerify)
        budget = Budget(maxCost: config.maxCost, maxRequests: config.maxRequests)
        jitter = SeededGenerator(seed: config.jitterSeed)
    }

    /// The request body for `messages` asking for an answer of `shape` (nil: the config's score shape), in a fixed
    /// key order so that equal work gives equal cache keys.
    public func requestBody(for messages: [ChatMessage], shape: AnswerShape? = nil) -> String {
        let shape = shape ?? AnswerShape(scoresOf: config)
        var members: [(String, JSONValue)] = [("model", .string(config.model))]
        switch config.api {
        case .chat: members.append(("messages", .array(messages.map(\.json))))
        case .completions: members.append(("prompt", .string(messages.map(\.content).joined(separator: "\n\n"))))
        }
        members += [
            ("temperature", .number(config.temperature)), ("max_tokens", .number(Double(shape.maxTokens))),
            ("n", .number(Double(shape.samples))),
        ]
        if let seed = config.seed { members.append(("seed", .number(Double(seed)))) }
        if shape.topLogprobs > 0 {
            switch config.api {
            case .chat: members += [("logprobs", .bool(true)), ("top_logprobs", .number(Double(shape.topLogprobs)))]
            case .completions: members.append(("logprobs", .number(Double(shape.topLogprobs))))
            }
        }
        switch shape.format {
        case .text: break
        case .schema(let name, let schema):
            members.append(
                (
                    "response_format",
                    .object([
                        ("type", .string("json_schema")),
                        ("json_schema", .object([("name", .string(name)), ("schema", schema)])),
                    ])
                ))
        case .grammar(let grammar): members.append(("grammar", .string(grammar)))
        }
        return JSONWriter.write(.object(members))
    }

    /// Sends every prompt and returns, per prompt, the texts of its samples or its own error. Prompts already in the
    /// cache cost no request; equal prompts in one batch are sent once; the rest go out in the order of their request
    /// bodies, so that prompts with a common prefix follow each other, one HTTP request each or, with `batch` in the
    /// config, as one Batch API job. A request that could pass the budget is not sent: its items fail with
    /// `budgetExceeded` and the rest complete. `progress` hears stage "completions" as items finish (and while a
    /// batch job is polled); returning false stops the batch: unfinished items fail with `cancelled`, answers that arrived
    /// are kept (and cached). Answers take `shape` (nil: the config's score shape).
    public func complete(
        _ prompts: [[ChatMessage]], shape: AnswerShape? = nil,
        progress: ProgressHandler = { _ in true }
    ) -> [Result<[String], LLMNASError>] {
        completeChoices(prompts, shape: shape, progress: progress).map { $0.map { $0.map(\.text) } }
    }

    /// `complete`, each answer with its tokens' log-probabilities when the endpoint returned them.
    package func completeChoices(
        _ prompts: [[ChatMessage]], shape: AnswerShape? = nil,
        progress: ProgressHandler = { _ in true }
    ) -> [Result<[CompletionChoice], LLMNASError>] {
        withoutActuallyEscaping(progress) { progress in
            let items = CompletionProgress(count: prompts.count, progress: progress)
            complete(prompts, shape: shape ?? AnswerShape(scoresOf: config), items: items)
            return items.results
        }
    }

    /// `complete` on the items' record, which lives no longer than the call.
    private func complete(_ prompts: [[ChatMessage]], shape: AnswerShape, items: CompletionProgress) {
        let started = MonotonicClock.now()
        defer {
            ledger.wallSeconds += MonotonicClock.now() - started
            for case .failure(let error) in items.results { ledger.recordFailure(error.kind) }
        }
        items.report()  // "0 of n" before anything is sent: a progress bar shows from the start of the call
        guard !items.stopped else { return }
        let plan = plan(prompts, shape: shape)
        for (item, error) in plan.refused { items.finish(item, .failure(error)) }
        ledger.cacheHits += plan.answered.count
        for (item, choices) in plan.answered { items.finish(item, .success(choices)) }
        var jobs = plan.jobs
        guard !jobs.isEmpty, !items.stopped else { return }
        // In lexicographic order, prompts sharing a prefix go out one after another, so a server with a prefix cache
        // (llama-server's slots, OpenAI's prompt caching) computes each shared prefix once. Sorted order maximises
        // the total prefix each request shares with the one before it.
        jobs.sort { $0.body.utf8.lexicographicallyPrecedes($1.body.utf8) }
        if config.batch != nil {
            sendAsBatchJob(jobs, items: items)
        } else {
            sendEach(jobs, items: items)
        }
    }

    /// What a batch of prompts needs: the requests to make (equal prompts grouped), the items the cache answers and
    /// those refused at once (over the size bound, or their cached answer unreadable).
    struct Plan {
        /// The requests to make, in the order of the prompts.
        var jobs: [Job] = []
        /// Items answered from the cache, with their texts.
        var answered: [(item: Int, choices: [CompletionChoice])] = []
        /// Items that cannot be sent.
        var refused: [(item: Int, error: LLMNASError)] = []
    }

    /// The plan for `prompts` answered in `shape`; changes nothing.
    func plan(_ prompts: [[ChatMessage]], shape: AnswerShape) -> Plan {
        var plan = Plan()
        var jobOfKey: [String: Int] = [:]
        for (item, messages) in prompts.enumerated() {
            let body = requestBody(for: messages, shape: shape)
            guard body.utf8.count <= LLMConfig.maximumPromptBytes else {
                plan.refused.append(
                    (
                        item,
                        LLMNASError(
                            .invalidArgument,
                            "the prompt is \(body.utf8.count) bytes; the bound is \(LLMConfig.maximumPromptBytes)")
                    ))
                continue
            }
            let key = cacheKey(body)
            if let job = jobOfKey[key] {
                plan.jobs[job].items.append(item)
                continue
            }
            let cached: String?
            do throws(LLMNASError) { cached = try cache?.value(for: key) } catch {
                plan.refused.append((item, error))
                continue
            }
            if let cached, let response = try? CompletionResponse(body: cached) {
                plan.answered.append((item, response.choices))
                continue
            }
            jobOfKey[key] = plan.jobs.count
            plan.jobs.append(Job(key: key, body: body, completionTokens: shape.completionTokens, items: [item]))
        }
        return plan
    }

    /// The response cache's key of a request body: the endpoint and the body.
    func cacheKey(_ body: String) -> String { config.endpointURL + "\n" + body }

    /// Learns the token rates of an answer to a request of `bodyBytes`.
    func learn(from response: CompletionResponse, bodyBytes: Int) {
        tokenRate.record(bodyBytes: bodyBytes, promptTokens: response.promptTokens)
        completionTokensSeen.tokens += response.completionTokens
        completionTokensSeen.answers += 1
    }

    /// Exponential backoff with equal jitter from the client's seeded generator; a server's `Retry-After` is honoured
    /// up to `backoffMaxSeconds`.
    func delay(attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(retryAfter, config.backoffMaxSeconds) }
        let ceiling = min(config.backoffMaxSeconds, config.backoffSeconds * power(2, attempt - 1))
        return ceiling * (0.5 + 0.5 * jitter.unit())
    }

    /// An error whose message cannot carry the API key, even when a server echoes it in an error body.
    func redacted(_ error: LLMNASError) -> LLMNASError {
        guard let key = environment(config.apiKeyVariable), key.count >= 4, error.message.contains(key) else {
            return error
        }
        return LLMNASError(error.kind, error.message.replacing(key, with: "[redacted]"))
    }

    /// For a 401 or 403 sent without a key, what was empty: the variable `api_key_env` names; "" otherwise.
    func keyHint(_ status: Int) -> String {
        guard status == 401 || status == 403, (environment(config.apiKeyVariable) ?? "").isEmpty else { return "" }
        return " (no API key was sent: the environment variable \(config.apiKeyVariable), which \"api_key_env\" "
            + "names, is unset or empty)"
    }

    /// Content type (JSON unless given) and, when the key variable is set, the key: `Authorization: Bearer` or
    /// Azure's `api-key`.
    func requestHeaders(contentType: String = "application/json") -> [String] {
        var headers = ["Content-Type: \(contentType)", "Expect:"]
        if let key = environment(config.apiKeyVariable), !key.isEmpty {
            headers.append(config.azure == nil ? "Authorization: Bearer \(key)" : "api-key: \(key)")
        }
        return headers
    }
}
