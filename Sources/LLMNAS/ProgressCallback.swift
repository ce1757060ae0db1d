import CLLMNAS
import LLMNASCore

/// A host's `llmnas_progress_fn`, if it gave one, as the core's progress handler.
struct ProgressCallback {
    let function: llmnas_progress_fn?
    let userData: UnsafeMutableRawPointer?

    /// Hands `report` to the function; true to continue (no function, or the function returned 0).
    func report(_ report: ProgressReport) -> Bool {
        guard let function else { return true }
        return report.stage.withCString { name in
            var record = llmnas_progress(stage: name, done: report.done, total: report.total, value: report.value)
            return function(&record, userData) == 0
        }
    }
}
