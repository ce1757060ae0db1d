/// Running a search to its end with the host's estimators as functions instead of an ask/tell loop.
extension HybridSearch {
    /// Scores a batch for the host estimator named `estimator`, in order.
    public typealias HostScorer = (_ estimator: String, _ candidates: [Architecture]) throws(LLMNASError) -> [Double]
    /// Told after each iteration: finished iterations, all iterations, the iteration's best score; false cancels.
    public typealias Progress = (_ done: Int, _ total: Int, _ best: Double) -> Bool

    /// Asks, scores with `score`, tells, until the search is finished. `hostEstimators` names the estimators
    /// `score` can serve: a host estimator the remaining schedule uses without one is an error before anything runs.
    public func run(hostEstimators: Set<String>, score: HostScorer, progress: Progress = { _, _, _ in true }) throws(LLMNASError) {
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
                guard progress(reported, config.iterations, state.history[reported - 1].bestScore) else {
                    throw LLMNASError(.cancelled, "the search was cancelled after iteration \(reported - 1); it can go on later")
                }
            }
            if isFinished { return }
            try tell(score(estimator, candidates))
        }
    }
}
