import CLLMNAS

/// Calls a host's `llmnas_progress_fn`, if it gave one, and reports whether to go on.
struct ProgressCallback {
    let function: llmnas_progress_fn?
    let userData: UnsafeMutableRawPointer?

    /// True to continue: no function, or the function returned 0.
    func report(stage: String, done: Int, total: Int, value: Double = .nan) -> Bool {
        guard let function else { return true }
        return stage.withCString { name in
            var record = llmnas_progress(stage: name, done: done, total: total, value: value)
            return function(&record, userData) == 0
        }
    }
}
