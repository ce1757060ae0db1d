/// What a batch of per-item results amounts to as a whole: the one rule every batch of predictions follows (the
/// LLM-PP export, an LLM estimator inside a search).
public enum BatchOutcome {
    /// Returns when every item succeeded; otherwise throws `cancelled` if any item was cancelled, else `incomplete`,
    /// with a message (after "`what`: " when given) that counts the failures and quotes the first.
    public static func check<Value>(_ results: [Result<Value, LLMNASError>], what: String? = nil) throws(LLMNASError) {
        let failures = results.compactMap { result -> LLMNASError? in
            if case .failure(let error) = result { return error } else { return nil }
        }
        guard let first = failures.first else { return }
        let done = results.count - failures.count
        let prefix = what.map { "\($0): " } ?? ""
        if failures.contains(where: { $0.kind == .cancelled }) {
            throw LLMNASError(.cancelled, "\(prefix)cancelled: \(done) of \(results.count) architectures predicted")
        }
        throw LLMNASError(
            .incomplete,
            "\(prefix)\(failures.count) of \(results.count) architectures failed; the first: \(first.message)")
    }
}
