import Glibc

/// The Batch API jobs a client created and has not yet collected, in a JSON file beside its response cache
/// (`<cache_file>.batches`): a process killed while it waits, started again, waits for the same job instead of
/// paying for it twice. Each change re-reads the file and replaces it atomically, under the cache's lock, so
/// processes sharing the cache share the list; the file is removed when no job is left.
///
/// Format: `{"format": 1, "jobs": [{"id": "batch_…", "endpoint": URL, "items": [[custom_id, request body], …]}]}`.
struct BatchJobFile {
    /// One job: its id, the completions URL its answers are cached under, and its requests by `custom_id`.
    struct Entry {
        /// The Batch API's id of the job.
        let id: String
        /// The completions URL (the cache key's first line).
        let endpoint: String
        /// The requests of the job, by `custom_id`.
        let items: [(customID: String, body: String)]
    }

    private static let format = 1
    /// The file's path.
    let path: String
    /// The cache whose lock serialises changes.
    let cache: ResponseCache

    /// The jobs the file lists (none when there is no file).
    func load() throws(LLMNASError) -> [Entry] {
        try cache.withLock { () throws(LLMNASError) in try read() }
    }

    /// Adds a job.
    func add(_ entry: Entry) throws(LLMNASError) {
        try cache.withLock { () throws(LLMNASError) in try write(try read() + [entry]) }
    }

    /// Removes the job with `id`.
    func remove(id: String) throws(LLMNASError) {
        try cache.withLock { () throws(LLMNASError) in try write(try read().filter { $0.id != id }) }
    }

    private func read() throws(LLMNASError) -> [Entry] {
        guard FileIO.exists(path) else { return [] }
        let json: JSONValue
        do {
            json = try JSONParser.parse(try FileIO.readText(path))
        } catch {
            throw LLMNASError(
                .corruptFile, "'\(path)' (the Batch API jobs of the response cache) is damaged: \(error.message)")
        }
        guard json["format"]?.exactInt == BatchJobFile.format, let jobs = json["jobs"]?.arrayValue else {
            throw LLMNASError(.corruptFile, "'\(path)' is not a Batch API job list of format \(BatchJobFile.format)")
        }
        return try jobs.map { (job: JSONValue) throws(LLMNASError) -> Entry in
            guard let id = job["id"]?.stringValue, let endpoint = job["endpoint"]?.stringValue,
                let list = job["items"]?.arrayValue
            else {
                throw LLMNASError(.corruptFile, "'\(path)': a job without id, endpoint or items")
            }
            let items = try list.map { (item: JSONValue) throws(LLMNASError) -> (customID: String, body: String) in
                guard let pair = item.arrayValue, pair.count == 2, let customID = pair[0].stringValue,
                    let body = pair[1].stringValue
                else {
                    throw LLMNASError(.corruptFile, "'\(path)': job \(id) has an item that is not [custom_id, body]")
                }
                return (customID, body)
            }
            return Entry(id: id, endpoint: endpoint, items: items)
        }
    }

    private func write(_ entries: [Entry]) throws(LLMNASError) {
        guard !entries.isEmpty else {
            guard unlink(path) == 0 || errno == ENOENT else { throw FileIO.ioError("cannot remove '\(path)'") }
            return
        }
        let jobs = entries.map { entry in
            JSONValue.object([
                ("id", .string(entry.id)), ("endpoint", .string(entry.endpoint)),
                ("items", .array(entry.items.map { .array([.string($0.customID), .string($0.body)]) })),
            ])
        }
        let json = JSONValue.object([("format", .number(Double(BatchJobFile.format))), ("jobs", .array(jobs))])
        try FileIO.writeAtomically(Array(JSONWriter.write(json).utf8), to: path)
    }
}
