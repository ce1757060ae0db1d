/// Batches as OpenAI-compatible Batch API jobs: the requests go up as a JSON Lines file (`POST /files`), one job is
/// created (`POST /batches`) and polled (`GET /batches/{id}`) with doubling waits until it ends, and the output and
/// error files (`GET /files/{id}/content`) are matched to the requests by `custom_id`. Each answer is charged at the
/// batch price and cached; the job's id is kept in the cache's job list until it has been collected.
extension LLMClient {
    /// The states in which a job does not change any more.
    private static let finalStates: Set<String> = ["completed", "failed", "expired", "cancelled"]

    /// Sends `jobs` as Batch API jobs: first waits for jobs of earlier calls (or of a killed process) that hold some
    /// of these requests, then sends the rest, within the budget, as one new job and waits for it.
    func sendAsBatchJob(_ jobs: [Job], items: CompletionProgress) {
        guard let cache, let batch = config.batch else { return }  // the config requires both
        let file = BatchJobFile(path: cache.path + ".batches", cache: cache)
        var open: [String: Int] = [:]  // request body → its job, while the job has not ended
        for (index, job) in jobs.enumerated() { open[job.body] = index }
        func end(_ body: String, _ result: Result<[CompletionChoice], LLMNASError>) {
            guard let index = open.removeValue(forKey: body) else { return }
            for item in jobs[index].items { items.finish(item, result.mapError(redacted)) }
        }
        func endAll(_ error: LLMNASError) {
            for body in Array(open.keys) { end(body, .failure(error)) }
        }
        let pending: [BatchJobFile.Entry]
        do {
            pending = try file.load()
        } catch {
            return endAll(error)
        }
        for entry in pending
        where entry.endpoint == config.endpointURL && entry.items.contains(where: { open[$0.body] != nil }) {
            guard !items.stopped else { return }
            collect(entry, batch: batch, file: file, items: items, end: end)
        }
        var admitted: [Job] = []
        var reserved = 0.0
        for job in jobs where open[job.body] != nil {
            let worst = config.worstCost(
                promptTokens: tokenRate.reservation * Double(job.body.utf8.count),
                completionTokens: job.completionTokens, batch: true)
            switch budget.decide(
                spent: ledger.cost, reserved: reserved, made: ledger.requests + admitted.count, inFlight: 0,
                worstCost: worst)
            {
            case .go:
                admitted.append(job)
                reserved += worst
            case .wait:
                preconditionFailure("the budget waits only for requests in flight")
            case .refuse(let error):
                ledger.budgetRefused += job.items.count
                end(job.body, .failure(error))
            }
        }
        guard !admitted.isEmpty, !items.stopped else { return }
        do {
            let entry = try createJob(admitted, batch: batch, file: file)
            collect(entry, batch: batch, file: file, items: items, end: end)
        } catch {
            endAll(error)
        }
    }

    /// Uploads the requests, creates the job and lists it in the job file.
    private func createJob(_ jobs: [Job], batch: BatchAPIConfig, file: BatchJobFile) throws(LLMNASError)
        -> BatchJobFile.Entry
    {
        let requests = jobs.enumerated().map { (customID: "llmnas-\($0.offset)", body: $0.element.body) }
        var lines = ""
        for request in requests {
            lines += JSONWriter.write(
                .object([
                    ("custom_id", .string(request.customID)), ("method", .string("POST")),
                    ("url", .string(config.endpointPath)),
                ])
            ).dropLast()
            lines += ", \"body\": \(request.body)}\n"
        }
        let upload = MultipartForm(
            fields: [("purpose", "batch")], fileField: "file", fileName: "llmnas-batch.jsonl",
            fileType: "application/jsonl", content: Array(lines.utf8))
        let uploaded = try json(
            call(
                HTTPRequest(
                    url: config.resourceURL("files"), headers: requestHeaders(contentType: upload.contentType),
                    body: upload.body), "Batch API file upload"), "the file upload")
        guard let fileID = uploaded["id"]?.stringValue else {
            throw LLMNASError(.badResponse, "the file upload's answer has no id")
        }
        let create = JSONWriter.write(
            .object([
                ("input_file_id", .string(fileID)), ("endpoint", .string(config.endpointPath)),
                ("completion_window", .string(batch.completionWindow)),
            ]))
        let created = try json(
            call(
                HTTPRequest(url: config.resourceURL("batches"), headers: requestHeaders(), body: Array(create.utf8)),
                "Batch API job creation"), "the job creation")
        guard let id = created["id"]?.stringValue else {
            throw LLMNASError(.badResponse, "the job creation's answer has no id")
        }
        ledger.batchJobs += 1
        ledger.requests += jobs.count
        let entry = BatchJobFile.Entry(id: id, endpoint: config.endpointURL, items: requests)
        // Listed before the first poll: a process killed from here on finds the job again. Should the list not be
        // written, the job is still waited for and collected now: only a crash before it ends would pay twice.
        try? file.add(entry)
        return entry
    }

    /// Polls the job until it ends (or the caller stops, or `max_wait_seconds` pass: then its requests fail and the
    /// job stays listed for the next call), then ends each of its requests with its answer or its own error and
    /// takes the job off the list. Answers to requests of other calls are charged and cached too.
    private func collect(
        _ entry: BatchJobFile.Entry, batch: BatchAPIConfig, file: BatchJobFile, items: CompletionProgress,
        end: (String, Result<[CompletionChoice], LLMNASError>) -> Void
    ) {
        let deadline = MonotonicClock.now() + batch.maxWaitSeconds
        var wait = batch.pollSeconds
        var job: JSONValue
        var state: String
        do {
            while true {
                job = try json(
                    call(
                        HTTPRequest(
                            url: config.resourceURL("batches/\(entry.id)"), headers: requestHeaders(), body: nil),
                        "Batch API job \(entry.id)"), "the job's status")
                state = job["status"]?.stringValue ?? "unknown"
                if LLMClient.finalStates.contains(state) { break }
                items.report()
                if items.stopped { return }
                guard MonotonicClock.now() + wait <= deadline else {
                    let error = LLMNASError(
                        .timeout,
                        "the batch job \(entry.id) is still \(state) after max_wait_seconds "
                            + "(\(JSONWriter.formatNumber(batch.maxWaitSeconds)) s); it stays listed in "
                            + "\(file.path), and a call with this cache waits for it again"
                    )
                    for item in entry.items { end(item.body, .failure(error)) }
                    return
                }
                MonotonicClock.sleep(wait)
                wait = min(wait * 2, batch.pollMaxSeconds)
            }
            var lines: [String: JSONValue] = [:]
            for key in ["output_file_id", "error_file_id"] {
                guard let fileID = job[key]?.stringValue else { continue }
                var download = HTTPRequest(
                    url: config.resourceURL("files/\(fileID)/content"), headers: requestHeaders(), body: nil)
                download.responseLimit = FileIO.maximumFileBytes
                let content = String(decoding: try call(download, "Batch API file \(fileID)"), as: UTF8.self)
                for line in content.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
                    let value = try json(Array(line.utf8), "a line of file \(fileID)")
                    if let customID = value["custom_id"]?.stringValue { lines[customID] = value }
                }
            }
            for item in entry.items {
                if let line = lines[item.customID] {
                    let request = Job(
                        key: entry.endpoint + "\n" + item.body, body: item.body, completionTokens: 0, items: [])
                    end(item.body, answer(of: line, for: request, jobID: entry.id))
                } else {
                    end(item.body, .failure(missingAnswer(job, id: entry.id, window: batch.completionWindow)))
                }
            }
        } catch {
            for item in entry.items { end(item.body, .failure(error)) }
            return
        }
        try? file.remove(id: entry.id)
    }

    /// One line of an output or error file: the answer, charged and cached, or the request's own error.
    private func answer(of line: JSONValue, for job: Job, jobID: String) -> Result<[CompletionChoice], LLMNASError> {
        if let error = line["error"], error != .null {
            let code = error["code"]?.stringValue ?? "error"
            return .failure(
                LLMNASError(
                    .httpError,
                    "batch job \(jobID): \(code): \(error["message"]?.stringValue ?? JSONWriter.write(error))"))
        }
        let status = line["response"]?["status_code"]?.exactInt ?? 0
        let body = line["response"]?["body"].map { JSONWriter.write($0) } ?? ""
        guard status == 200 else {
            return .failure(
                LLMNASError(.httpError, "HTTP \(status) in batch job \(jobID): \(CompletionResponse.snippet(body))"))
        }
        return accept(body, for: job, batch: true)
    }

    /// The error of a request the ended job (its last status object) holds no line for.
    private func missingAnswer(_ job: JSONValue, id: String, window: String) -> LLMNASError {
        let state = job["status"]?.stringValue ?? "unknown"
        switch state {
        case "expired":
            return LLMNASError(
                .timeout, "the batch job \(id) expired (completion window \(window)) before this request ran")
        case "cancelled": return LLMNASError(.cancelled, "the batch job \(id) was cancelled before this request ran")
        case "failed":
            let reason = job["errors"]?["data"]?.arrayValue?.first?["message"]?.stringValue ?? "no reason given"
            return LLMNASError(.badResponse, "the batch job \(id) failed: \(reason)")
        default: return LLMNASError(.badResponse, "the batch job \(id) \(state) without an answer for this request")
        }
    }

    /// JSON of a Batch API answer; anything else is a bad response.
    private func json(_ bytes: [UInt8], _ what: String) throws(LLMNASError) -> JSONValue {
        do {
            return try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw LLMNASError(.badResponse, "\(what) is not JSON: \(error.message)")
        }
    }
}
