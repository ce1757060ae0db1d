/// What a search has found, as JSON for hosts: the best architecture and the record of every iteration.
extension HybridSearch {
    /// The best member of the last finished iteration under that iteration's estimator: architecture, score,
    /// estimator, iteration, constraint values and, for spaces with a cost model, parameters and FLOPs.
    public func bestJSON() throws(LLMNASError) -> JSONValue {
        guard let last = state.history.last else {
            throw LLMNASError(.notFound, "no iteration has finished yet: tell the scores of the first batch first")
        }
        var members = record(last).objectMembers!
        members.insert(("finished", .bool(isFinished)), at: 0)
        if let stats = try? space.stats(of: last.best.architecture) { members.append(("stats", stats)) }
        return .object(members)
    }

    /// Progress and history: whether finished, the iteration under way, the calls each estimator has answered, one
    /// record per finished iteration and one per refit.
    public func historyJSON() -> JSONValue {
        .object([
            ("finished", .bool(isFinished)), ("iteration", .number(Double(state.iteration))),
            ("iterations", .number(Double(config.iterations))),
            (
                "estimator_calls",
                .object(zip(config.estimators, state.scores).map { ($0.name, .number(Double($1.count))) })
            ),
            ("history", .array(state.history.map(record))),
            ("refits", .array(state.refits.map(\.json))),
        ])
    }

    /// Every architecture any estimator scored (docs/formats.md, "search trials"), in the order of the iterations
    /// that asked for them: estimator, iteration, score, its spread (null when the estimator gave none), constraint
    /// values, parameters and FLOPs (spaces with a cost model that counts), whether it was ever kept as a parent, and each
    /// estimator's direction.
    public func trialsJSON() -> JSONValue {
        var trials: [(iteration: Int, order: Int, json: JSONValue)] = []
        for (estimator, table) in zip(config.estimators, state.scores) {
            for entry in table.entries {
                var members: [(String, JSONValue)] = [
                    ("estimator", .string(estimator.name)),
                    ("iteration", .number(Double(entry.iteration))),
                    ("score", .number(entry.score)),
                    ("spread", entry.spread.map(JSONValue.number) ?? .null),
                    ("started", entry.started.map(JSONValue.number) ?? .null),
                    ("completed", entry.completed.map(JSONValue.number) ?? .null),
                    ("parent", .bool(state.parents.contains(entry.architecture))),
                    (
                        "constraints",
                        .object(zip(config.constraints, entry.constraintValues).map { ($0.name, .number($1)) })
                    ),
                    ("architecture", space.json(of: entry.architecture)),
                ]
                // A host cost not bound (a report written from a checkpoint) leaves the counts out.
                if let counts = try? space.costModel?.counts(of: entry.architecture, in: space) {
                    members += [
                        ("params", .number(Double(counts.parameters))), ("flops", .number(Double(counts.flops))),
                    ]
                }
                trials.append((entry.iteration, trials.count, .object(members)))
            }
        }
        trials.sort { ($0.iteration, $0.order) < ($1.iteration, $1.order) }
        return .object([
            ("higher_is_better", .object(config.estimators.map { ($0.name, .bool($0.higherIsBetter)) })),
            ("trials", .array(trials.map(\.json))),
        ])
    }

    /// One iteration as JSON.
    func record(_ r: IterationRecord) -> JSONValue {
        .object(
            [
                ("iteration", .number(Double(r.iteration))), ("estimator", .string(r.estimator)),
                ("evaluated", .number(Double(r.evaluated))),
                ("best_score", .number(r.bestScore)), ("parent_mean", .number(r.parentMean)),
                ("population", .number(Double(r.populationSize))),
                ("constraints", constraintsJSON(r.best)), ("architecture", space.json(of: r.best.architecture)),
            ] + (r.cascade.map { [("cascade", $0.json)] } ?? []))
    }

    /// A member's constraint values by name.
    func constraintsJSON(_ member: SearchMember) -> JSONValue {
        .object(zip(config.constraints, member.constraintValues).map { ($0.name, .number($1)) })
    }

    /// The final (or current) population with each member's score under the last finished iteration's estimator.
    func scoredPopulation() -> [(member: SearchMember, score: Double)] {
        guard let last = state.history.last,
            let index = config.estimators.firstIndex(where: { $0.name == last.estimator })
        else { return [] }
        return state.population.compactMap { member in
            state.scores[index].score(of: space.canonical(member.architecture)).map { (member, $0) }
        }
    }
}
