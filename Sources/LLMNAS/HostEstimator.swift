import CLLMNAS
import LLMNASCore

/// One host estimator of an `llmnas_search_run` call: its callback (scores only, or scores and spreads) and the
/// caller's user data, read from an `llmnas_estimator` record of any layout version this library knows.
struct HostEstimator {
    private let score: llmnas_score_fn?
    private let scoreSpread: llmnas_score_spread_fn?
    private let userData: UnsafeMutableRawPointer?

    /// The bytes of a record of each layout version: version 1 ends where `score_spread` begins.
    private static let strides: [UInt32: Int] = [
        1: MemoryLayout<llmnas_estimator>.offset(of: \.score_spread)!,
        2: MemoryLayout<llmnas_estimator>.stride,
    ]

    /// Reads `count` records (at most 64) by name, with the stride of the first record's version; every record must
    /// have that version and exactly one callback.
    static func read(_ records: UnsafePointer<llmnas_estimator>?, count: Int) throws(LLMNASError) -> [String:
        HostEstimator]
    {
        guard (0...64).contains(count) else { throw LLMNASError(.invalidArgument, "n_estimators \(count) exceeds 64") }
        guard count > 0 else { return [:] }
        guard let records else { throw LLMNASError(.invalidArgument, "estimators is NULL") }
        let base = UnsafeRawPointer(records)
        let version = base.load(as: UInt32.self)
        guard let stride = strides[version] else {
            throw LLMNASError(
                .invalidArgument,
                "estimators[0].version is \(version); this library reads versions 1 and \(LLMNAS_ESTIMATOR_VERSION) "
                    + "(start from LLMNAS_ESTIMATOR_INIT)")
        }
        var estimators: [String: HostEstimator] = [:]
        for i in 0..<count {
            let record = base + i * stride
            func field<T>(_ path: KeyPath<llmnas_estimator, T>) -> T {
                record.load(fromByteOffset: MemoryLayout<llmnas_estimator>.offset(of: path)!, as: T.self)
            }
            guard field(\.version) == version else {
                throw LLMNASError(
                    .invalidArgument, "estimators[\(i)].version is \(field(\.version)); estimators[0]'s is \(version)")
            }
            let estimator = HostEstimator(
                score: field(\.score), scoreSpread: version >= 2 ? field(\.score_spread) : nil,
                userData: field(\.user_data))
            guard (estimator.score == nil) != (estimator.scoreSpread == nil) else {
                throw LLMNASError(.invalidArgument, "estimators[\(i)] needs one of score and score_spread, not both")
            }
            estimators[try text(field(\.name), "estimators[\(i)].name")] = estimator
        }
        return estimators
    }

    /// Calls the callback on `candidates` (JSON, `count` architectures); a nonzero return cancels the run.
    func call(named name: String, on candidates: String, count: Int) throws(LLMNASError) -> HybridSearch.HostScores {
        var scores = [Double](repeating: .nan, count: count)
        var spreads = [Double](repeating: .nan, count: count)
        let status = candidates.withCString { list in
            if let scoreSpread {
                scoreSpread(list, count, &scores, &spreads, userData)
            } else {
                score!(list, count, &scores, userData)
            }
        }
        guard status == 0 else {
            throw LLMNASError(
                .cancelled, "host estimator '\(name)' returned \(status); the scores told before are kept")
        }
        return HybridSearch.HostScores(scores: scores, spreads: spreads.allSatisfy(\.isNaN) ? nil : spreads)
    }
}
