/// Re-distillation during a search (`RefitSpec`): before an iteration that is a multiple of `every`, each MLP
/// estimator with a refit that the rest of the schedule still uses is trained afresh on its labels and the scores of
/// the estimator it learns, when there is something new to learn: scores that came since its last refit, or labels
/// when it has no model yet. Its earlier scores stop counting (a new generation of its score table).
extension HybridSearch {
    /// Runs the refits due before the current iteration, once each.
    func refitDueModels() throws(LLMNASError) {
        let iteration = state.iteration
        for (index, estimator) in config.estimators.enumerated() {
            // The config checked that `on` names a declared estimator.
            guard let refit = estimator.refit, iteration % refit.every == 0,
                let on = config.estimators.firstIndex(where: { $0.name == refit.on })
            else { continue }
            let last = state.refits.last { $0.estimator == estimator.name }
            guard last?.iteration != iteration,
                (iteration..<config.iterations).contains(where: {
                    config.schedule.estimators(ofIteration: $0).contains(index)
                })
            else { continue }
            let scores = state.scores[on].currentEntries
            let hasNewScores = scores.count > (last?.scores ?? 0)
            let needsModel = model(of: estimator.name) == nil && refit.labels.count >= 2
            guard hasNewScores || needsModel else { continue }
            try self.refit(index, refit, on: scores)
        }
    }

    /// Trains estimator `index`'s new model on its labels and `scores`, starts a new generation of its scores and
    /// records the refit.
    private func refit(_ index: Int, _ refit: RefitSpec, on scores: ArraySlice<ScoreTable.Entry>) throws(LLMNASError) {
        var targets: [Architecture: Double] = [:]
        var order: [Architecture] = []
        for label in refit.labels {
            let canonical = space.canonical(label.architecture)
            if targets.updateValue(label.score, forKey: canonical) == nil { order.append(canonical) }
        }
        let labelled = Set(order)
        for entry in scores where targets.updateValue(entry.score, forKey: entry.architecture) == nil {
            order.append(entry.architecture)
        }
        let name = config.estimators[index].name
        guard order.count >= 2 else {
            throw LLMNASError(
                .invalidArgument,
                "refit of '\(name)' before iteration \(state.iteration) has \(order.count) rows; it needs at least 2")
        }
        var x: [Float] = []
        x.reserveCapacity(order.count * space.featureCount)
        for architecture in order { x += try space.features(of: architecture) }
        let y = order.map { Float(targets[$0] ?? 0) }  // every architecture of `order` has a target
        let model = try MLPTrainer.train(
            config: refit.trainConfig(seed: config.seed, iteration: state.iteration), x: x, y: y,
            rows: order.count, dim: space.featureCount)
        let remainingLabels = labelled.subtracting(scores.map(\.architecture)).count
        let loss: Double = if case .number(let value)? = model.training["final_train_loss"] { value } else { 0 }
        state.refitted[name] = model
        state.scores[index].startGeneration()
        state.refits.append(
            RefitRecord(
                iteration: state.iteration, estimator: name, on: refit.on, labels: remainingLabels,
                scores: scores.count, finalTrainLoss: loss))
    }
}
