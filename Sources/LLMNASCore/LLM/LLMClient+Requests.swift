/// One HTTP request per prompt, up to `max_concurrency` at a time, within the budget.
extension LLMClient {
    /// What one attempt means: an answer, a retry after a delay, or a final failure.
    enum Decision {
        case done(Result<[CompletionChoice], LLMNASError>)
        case retry(Double)
    }

    /// Sends each job as its own request, in order. Before each attempt the budget decides: a request that could
    /// pass it waits for those in flight, and is refused when none is left to finish. A 401 or 403 (a wrong key, a
    /// model the key may not use) ends the batch: the jobs not yet sent fail with it instead of each being refused.
    /// A redirect the config's policy follows sends the job again at once to its target.
    func sendEach(_ jobs: [Job], items: CompletionProgress) {
        let headers = requestHeaders()
        var targets = [String](repeating: config.endpointURL, count: jobs.count)
        var hops = [Int](repeating: 0, count: jobs.count)
        var attempts = [Int](repeating: 0, count: jobs.count)
        var reservations = [Double](repeating: 0, count: jobs.count)
        var reserved = 0.0
        var denied: LLMNASError?
        transport.run(
            count: jobs.count,
            admit: { job, inFlight in
                if let denied {
                    let error = LLMNASError(
                        .httpError, "not sent: an earlier request of the batch was refused (\(denied.message))")
                    for item in jobs[job].items { items.finish(item, .failure(redacted(error))) }
                    return .refused
                }
                let body = jobs[job].body
                let worst = config.worstCost(
                    promptTokens: tokenRate.reservation * Double(body.utf8.count),
                    completionTokens: jobs[job].completionTokens, batch: false)
                switch budget.decide(
                    spent: ledger.cost, reserved: reserved, made: ledger.requests, inFlight: inFlight, worstCost: worst)
                {
                case .go:
                    reservations[job] = worst
                    reserved += worst
                    return .send(HTTPRequest(url: targets[job], headers: headers, body: Array(body.utf8)))
                case .wait:
                    return .later
                case .refuse(let error):
                    ledger.budgetRefused += jobs[job].items.count
                    for item in jobs[job].items { items.finish(item, .failure(error)) }
                    return .refused
                }
            },
            finished: { job, outcome in
                reserved -= reservations[job]
                reservations[job] = 0
                ledger.requests += 1
                if case .redirect(let status, let location) = outcome, hops[job] < RedirectPolicy.maximumHops,
                    case .success(let target) = config.redirects.target(
                        of: location, from: targets[job], status: status)
                {
                    targets[job] = target
                    hops[job] += 1
                    return 0
                }
                attempts[job] += 1
                switch interpret(outcome, job: jobs[job], attempt: attempts[job]) {
                case .retry(let delay):
                    ledger.retries += 1
                    return delay
                case .done(let result):
                    if case .response(let status, _, _) = outcome, status == 401 || status == 403,
                        case .failure(let error) = result
                    {
                        denied = error
                    }
                    for item in jobs[job].items { items.finish(item, result.mapError(redacted)) }
                    return nil
                }
            }, keepGoing: { !items.stopped })
    }

    /// What one attempt of `job` means; an answer is charged, learned from and cached.
    private func interpret(_ outcome: HTTPOutcome, job: Job, attempt: Int) -> Decision {
        if let delay = retryDelay(after: outcome, attempt: attempt) { return .retry(delay) }
        switch outcome {
        case .response(200, let body, _):
            guard let text = String(validating: body, as: UTF8.self) else {
                return .done(
                    .failure(LLMNASError(.badResponse, "the response body is not valid UTF-8 (\(body.count) bytes)")))
            }
            return .done(accept(text, for: job, batch: false))
        case .response(let status, let body, _):
            let retried = status == 429 || (500...599).contains(status) ? " after \(attempt) attempts" : ""
            let snippet = CompletionResponse.snippet(String(decoding: body, as: UTF8.self))
            return .done(.failure(LLMNASError(.httpError, "HTTP \(status)\(retried): \(snippet)\(keyHint(status))")))
        case .redirect(let status, let location):
            // Here the policy refuses the redirect, or the job has followed its most.
            let refusal = config.redirects.target(of: location, from: config.endpointURL, status: status)
            return .done(
                refusal.flatMap { _ in
                    .failure(
                        LLMNASError(
                            .httpError,
                            "HTTP \(status): a redirect to \(location), not followed after "
                                + "\(RedirectPolicy.maximumHops) redirects"
                        ))
                })
        case .failure(let kind, let message):
            let retried = kind == .timeout || kind == .connectionFailed ? " after \(attempt) attempts" : ""
            return .done(.failure(LLMNASError(kind, "\(message)\(retried) (\(config.endpointURL))")))
        }
    }

    /// The wait before another attempt, or nil when the outcome is final: only a 429, a 5xx, a timeout or a failed
    /// connection may pass on another try (a refused setup or a bad body will not), and only `retries` times.
    private func retryDelay(after outcome: HTTPOutcome, attempt: Int) -> Double? {
        guard attempt <= config.retries else { return nil }
        switch outcome {
        case .response(let status, _, let retryAfter) where status == 429 || (500...599).contains(status):
            return delay(attempt: attempt, retryAfter: retryAfter)
        case .failure(let kind, _) where kind == .timeout || kind == .connectionFailed:
            return delay(attempt: attempt, retryAfter: nil)
        default:
            return nil
        }
    }

    /// A completion body received for `job`: parsed, charged (at the batch price for a batch job's answer), learned
    /// from and stored in the cache before its texts are handed out.
    func accept(_ text: String, for job: Job, batch: Bool) -> Result<[CompletionChoice], LLMNASError> {
        do throws(LLMNASError) {
            let response = try CompletionResponse(body: text)
            ledger.charge(response, config: config, batch: batch)
            learn(from: response, bodyBytes: job.body.utf8.count)
            try cache?.store(text, for: job.key)
            return .success(response.choices)
        } catch {
            return .failure(error)
        }
    }

    /// One request outside the completion batches (Batch API files and jobs, the tokenizer), retried as completions
    /// are (429, 5xx, timeouts, failed connections); the body of its 200 answer, which must be UTF-8. `what` names
    /// it in errors.
    func call(_ request: HTTPRequest, _ what: String) throws(LLMNASError) -> [UInt8] {
        var attempt = 0
        var result: Result<[UInt8], LLMNASError> = .failure(LLMNASError(.cancelled, "\(what): cancelled"))
        transport.run(
            count: 1, admit: { _, _ in .send(request) },
            finished: { _, outcome in
                attempt += 1
                if let delay = retryDelay(after: outcome, attempt: attempt) { return delay }
                switch outcome {
                case .response(200, let body, _):
                    result =
                        String(validating: body, as: UTF8.self) == nil
                        ? .failure(
                            LLMNASError(
                                .badResponse, "\(what): the response body is not valid UTF-8 (\(body.count) bytes)"))
                        : .success(body)
                case .response(let status, let body, _):
                    result = .failure(
                        LLMNASError(
                            .httpError,
                            "\(what): HTTP \(status): "
                                + "\(CompletionResponse.snippet(String(decoding: body, as: UTF8.self)))"
                        ))
                case .redirect(let status, let location):
                    result = .failure(
                        LLMNASError(.httpError, "\(what): HTTP \(status): a redirect to \(location), not followed"))
                case .failure(let kind, let message):
                    result = .failure(LLMNASError(kind, "\(what): \(message) (\(request.url))"))
                }
                return nil
            }, keepGoing: { true })
        return try result.mapError(redacted).get()
    }
}
