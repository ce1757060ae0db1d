/// The items of one `LLMClient.complete` call: each item's result so far (cancelled until it ends) and the host's
/// progress callback, which may stop the call.
final class CompletionProgress {
    /// One result per item.
    private(set) var results: [Result<[CompletionChoice], LLMNASError>]
    /// Whether the callback asked to stop.
    private(set) var stopped = false
    private var done = 0
    private let progress: ProgressHandler

    /// `count` items, every one cancelled until it ends.
    init(count: Int, progress: @escaping ProgressHandler) {
        results = Array(
            repeating: .failure(LLMNASError(.cancelled, "cancelled before an answer arrived")), count: count)
        self.progress = progress
    }

    /// Ends `item` with `result` and reports it.
    func finish(_ item: Int, _ result: Result<[CompletionChoice], LLMNASError>) {
        results[item] = result
        done += 1
        report()
    }

    /// Reports how many items ended (also while waiting on a batch job); a false answer stops the call.
    func report() {
        if !stopped, !progress(ProgressReport(stage: "completions", done: done, total: results.count)) {
            stopped = true
        }
    }
}
