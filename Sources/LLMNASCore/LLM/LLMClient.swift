/// A client of one OpenAI-compatible endpoint: sends batches of prompts concurrently, retries what may succeed on a
/// second try, answers repeated work from the response cache and keeps a ledger of what was used.
/// One client is used by one thread at a time.
public final class LLMClient {
    /// How the endpoint is reached and asked.
    public let config: LLMConfig
    /// What the client has used so far.
    public private(set) var ledger = UsageLedger()
    private let cache: ResponseCache?
    private let transport: HTTPTransport
    private let environment: (String) -> String?
    private var jitter: SeededGenerator

    /// A client for `config`; opens its cache file, if one is configured. `environment` supplies the API key.
    public init(config: LLMConfig, environment: @escaping (String) -> String? = LLMConfig.processEnvironment) throws(LLMNASError) {
        self.config = config
        self.environment = environment
        cache = try config.cacheFile.map { path throws(LLMNASError) in try ResponseCache(path: path) }
        transport = try HTTPTransport(timeoutSeconds: config.timeoutSeconds, maxConcurrency: config.maxConcurrency,
                                  maxResponseBytes: config.maxResponseBytes, verifyTLS: !config.insecureSkipTLSVerify)
        jitter = SeededGenerator(seed: config.jitterSeed)
    }

    /// The request body for `messages`, in a fixed key order so that equal work gives equal cache keys.
    public func requestBody(for messages: [ChatMessage]) -> String {
        var members: [(String, JSONValue)] = [("model", .string(config.model))]
        switch config.api {
        case .chat: members.append(("messages", .array(messages.map(\.json))))
        case .completions: members.append(("prompt", .string(messages.map(\.content).joined(separator: "\n\n"))))
        }
        members += [("temperature", .number(config.temperature)), ("max_tokens", .number(Double(config.maxTokens))),
                    ("n", .number(Double(config.samples)))]
        if let seed = config.seed { members.append(("seed", .number(Double(seed)))) }
        switch config.answerFormat {
        case .text: break
        case .jsonSchema:
            members.append(("response_format", .object([
                ("type", .string("json_schema")),
                ("json_schema", .object([("name", .string("score")), ("schema", .object([("type", .string("number"))]))])),
            ])))
        case let .grammar(grammar): members.append(("grammar", .string(grammar)))
        }
        return JSONWriter.write(.object(members))
    }

    /// Sends every prompt and returns, per prompt, the texts of its samples or its own error. Prompts already in the
    /// cache cost no request; equal prompts in one batch are sent once. `progress(done, total)` is called as items
    /// finish; returning false stops the batch: unfinished items fail with `cancelled`, answers that arrived are kept
    /// (and cached).
    public func complete(_ prompts: [[ChatMessage]], progress: (Int, Int) -> Bool = { _, _ in true }) -> [Result<[String], LLMNASError>] {
        let started = MonotonicClock.now()
        var results: [Result<[String], LLMNASError>] = []
        defer {
            ledger.wallSeconds += MonotonicClock.now() - started
            ledger.failures += results.filter { if case .failure = $0 { return true } else { return false } }.count
        }
        let cancelled = LLMNASError(.cancelled, "cancelled before an answer arrived")
        results = [Result<[String], LLMNASError>](repeating: .failure(cancelled), count: prompts.count)
        var done = 0
        var stop = false
        func finish(_ item: Int, _ result: Result<[String], LLMNASError>) {
            results[item] = result
            done += 1
            if !stop, !progress(done, prompts.count) { stop = true }
        }
        // Group equal requests; answer cached ones; the rest become HTTP jobs.
        var jobs: [(key: String, body: String, items: [Int])] = []
        var jobOfKey: [String: Int] = [:]
        let url = config.endpointURL
        for (item, messages) in prompts.enumerated() {
            let body = requestBody(for: messages)
            guard body.utf8.count <= LLMConfig.maximumPromptBytes else {
                finish(item, .failure(LLMNASError(.invalidArgument, "the prompt is \(body.utf8.count) bytes; the bound is \(LLMConfig.maximumPromptBytes)")))
                continue
            }
            let key = url + "\n" + body
            if let job = jobOfKey[key] { jobs[job].items.append(item); continue }
            if let cached = cache?.value(for: key), let response = try? CompletionResponse(body: cached) {
                ledger.cacheHits += 1
                finish(item, .success(response.texts))
                continue
            }
            jobOfKey[key] = jobs.count
            jobs.append((key, body, [item]))
        }
        guard !jobs.isEmpty, !stop else { return results }
        let headers = requestHeaders()
        var attempts = [Int](repeating: 0, count: jobs.count)
        transport.run(count: jobs.count, request: { job in
            HTTPRequest(url: url, headers: headers, body: Array(jobs[job].body.utf8))
        }, finished: { job, outcome in
            attempts[job] += 1
            ledger.requests += 1
            let result = redacted(interpret(outcome, key: jobs[job].key, attempt: attempts[job]))
            if case let .retry(delay) = result {
                ledger.retries += 1
                return delay
            }
            for item in jobs[job].items {
                if case let .done(value) = result { finish(item, value) }
            }
            return nil
        }, keepGoing: { !stop })
        return results
    }

    private enum Decision {
        case done(Result<[String], LLMNASError>)
        case retry(Double)
    }

    /// What one attempt means: an answer, a retry after a delay, or a final failure.
    private func interpret(_ outcome: HTTPOutcome, key: String, attempt: Int) -> Decision {
        let canRetry = attempt <= config.retries
        switch outcome {
        case let .response(200, body, _):
            let text = String(decoding: body, as: UTF8.self)
            do {
                let response = try CompletionResponse(body: text)
                ledger.promptTokens += response.promptTokens
                ledger.cachedPromptTokens += response.cachedPromptTokens
                ledger.completionTokens += response.completionTokens
                ledger.cost += Double(response.promptTokens - response.cachedPromptTokens) / 1000 * config.pricePromptPer1k
                    + Double(response.cachedPromptTokens) / 1000 * config.priceCachedPromptPer1k
                    + Double(response.completionTokens) / 1000 * config.priceCompletionPer1k
                do {
                    try cache?.store(text, for: key)
                } catch {
                    return .done(.failure(error))
                }
                return .done(.success(response.texts))
            } catch {
                return .done(.failure(error))
            }
        case let .response(status, body, retryAfter) where status == 429 || (500...599).contains(status):
            if canRetry { return .retry(delay(attempt: attempt, retryAfter: retryAfter)) }
            return .done(.failure(LLMNASError(.httpError, "HTTP \(status) after \(attempt) attempts: \(CompletionResponse.snippet(String(decoding: body, as: UTF8.self)))")))
        case let .response(status, body, _):
            return .done(.failure(LLMNASError(.httpError, "HTTP \(status): \(CompletionResponse.snippet(String(decoding: body, as: UTF8.self)))")))
        case let .failure(kind, message):
            // Only a timeout or a failed connection may pass on another attempt; a refused setup or a bad body will not.
            let transient = kind == .timeout || kind == .connectionFailed
            if transient, canRetry { return .retry(delay(attempt: attempt, retryAfter: nil)) }
            let suffix = transient ? " after \(attempt) attempts" : ""
            return .done(.failure(LLMNASError(kind, "\(message)\(suffix) (\(config.endpointURL))")))
        }
    }

    /// Exponential backoff with equal jitter from the client's seeded generator; a server's `Retry-After` is honoured
    /// up to `backoffMaxSeconds`.
    private func delay(attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(retryAfter, config.backoffMaxSeconds) }
        let ceiling = min(config.backoffMaxSeconds, config.backoffSeconds * power(2, attempt - 1))
        return ceiling * (0.5 + 0.5 * jitter.unit())
    }

    /// A decision whose error message cannot carry the API key, even when a server echoes it in an error body.
    private func redacted(_ decision: Decision) -> Decision {
        guard case let .done(.failure(error)) = decision, let key = environment(config.apiKeyVariable), key.count >= 4,
              error.message.contains(key) else { return decision }
        return .done(.failure(LLMNASError(error.kind, error.message.replacing(key, with: "[redacted]"))))
    }

    /// Content type and, when the key variable is set, the key: `Authorization: Bearer` or Azure's `api-key`.
    private func requestHeaders() -> [String] {
        var headers = ["Content-Type: application/json", "Expect:"]
        if let key = environment(config.apiKeyVariable), !key.isEmpty {
            headers.append(config.azure == nil ? "Authorization: Bearer \(key)" : "api-key: \(key)")
        }
        return headers
    }
}
