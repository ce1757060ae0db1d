/// Running a search to its end with the host's estimators as functions instead of an ask/tell loop.
extension HybridSearch {
    /// A host estimator's answer for one batch: a score per candidate, in order, and each score's spread if the
    /// estimator gives one (as `tell` takes them).
    public struct HostScores: Sendable {
        /// The scores, one per candidate.
        public let scores: [Double]
        /// Each score's spread (a standard deviation), or nil when the estimator gives none.
        public let spreads: [Double]?

        /// Scores with their spreads, if any.
        public init(scores: [Double], spreads: [Double]? = nil) {
            self.scores = scores
            self.spreads = spreads
        }
    }

    /// Scores a batch for the host estimator named `estimator`, in order.
    public typealias HostScorer = (_ estimator: String, _ candidates: [Architecture]) throws(LLMNASError) -> HostScores
    /// Asks, scores with `score`, tells, until the search is finished. `hostEstimators` names the estimators
    /// `score` can serve: a host estimator the remaining schedule uses without one is an error before anything runs.
    /// `progress` hears stage "search" after each iteration: finished iterations, all of them, the iteration's best.
    public func run(hostEstimators: Set<String>, score: HostScorer, progress: ProgressHandler = { _ in true })
        throws(LLMNASError)
    {
        let needed = (state.iteration..<config.iterations).flatMap { config.schedule.estimators(ofIteration: $0) }
            .map { config.estimators[$0] }.filter(\.isHost).map(\.name)
        if let missing = needed.first(where: { !hostEstimators.contains($0) }) {
            throw LLMNASError(.invalidArgument, "no callback for host estimator '\(missing)', which the schedule uses")
        }
        var reported = state.history.count
        while true {
            let (candidates, estimator) = try ask()
            while reported < state.history.count {
                reported += 1
                let best = state.history[reported - 1].bestScore
                guard progress(ProgressReport(stage: "search", done: reported, total: config.iterations, value: best))
                else {
                    throw LLMNASError(
                        .cancelled, "the search was cancelled after iteration \(reported - 1); it can go on later")
                }
            }
            if isFinished { return }
            let answer = try score(estimator, candidates)
            try tell(answer.scores, spreads: answer.spreads)
        }
    }
}
