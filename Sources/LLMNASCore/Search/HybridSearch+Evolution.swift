/// The evolutionary half of the search, as HAT runs it: a first population sampled under the constraints (after any
/// warm-start architectures), then each iteration keeps the best `parents` and adds `mutations` children of a
/// uniformly drawn parent and `crossovers` children of two distinct parents. Every new member must meet the
/// constraints and should differ from the members already in the population: after `duplicateTolerance` draws that
/// only repeat members (a converged population), a repeat is admitted, as HAT admits them. Each is drawn at most
/// `SearchSpace.maximumAttempts` times before the search reports the constraints infeasible. Random draws work on a
/// copy of the generator that is kept only when the whole step succeeds, so a failed step changes nothing. An
/// iteration with a cascade draws its pool's factor times as many new members into the pool its screen chooses from.
extension HybridSearch {
    /// Draws repeating population members after which a feasible repeat is admitted.
    static let duplicateTolerance = 100

    /// Draws the first population.
    func startPopulation() throws(LLMNASError) {
        var generator = state.generator
        var population: [SearchMember] = []
        var seen = Set<Architecture>()
        for (i, architecture) in config.initial.enumerated() {
            guard seen.insert(space.canonical(architecture)).inserted else { continue }
            guard let values = try admitted(architecture) else {
                throw LLMNASError(
                    .infeasible,
                    "initial architecture \(i) breaks a constraint: \(try describeConstraints(of: architecture))")
            }
            population.append(SearchMember(architecture: architecture, constraintValues: values))
        }
        let cascade = config.schedule.cascadeOfIteration[0]
        let sampled =
            enumeratesSpace(cascade)
            ? 0 : cascade?.poolSize(for: config.population - population.count) ?? config.population - population.count
        var pool: [SearchMember] = []
        for _ in 0..<sampled {
            try pool.append(
                draw(avoiding: &seen, what: "a first-population member") { () throws(LLMNASError) in
                    try space.sample(using: &generator)
                })
        }
        if cascade == nil { population += pool } else { state.pool = pool }
        state.population = population
        state.generator = generator
        state.started = true
    }

    /// Ends the search when `max_expensive_calls` is spent: the iteration under way is recorded over the members
    /// its estimator has scored (if any), without breeding another.
    func finishWithinBudget() throws(LLMNASError) {
        let table = state.scores[config.schedule.estimatorOfIteration[state.iteration]]
        state.population.removeAll { table.score(of: space.canonical($0.architecture)) == nil }
        state.pool = []
        if !state.population.isEmpty { try finishIteration(breeding: false) }
    }

    /// Ranks the scored population, records the iteration and, when `breeding`, breeds the next population (none
    /// after the last).
    func finishIteration(breeding: Bool = true) throws(LLMNASError) {
        let estimatorIndex = config.schedule.estimatorOfIteration[state.iteration]
        let estimator = config.estimators[estimatorIndex]
        let scores = state.population.map { state.scores[estimatorIndex].score(of: space.canonical($0.architecture))! }
        let ranked = scores.indices.sorted { a, b in
            scores[a] != scores[b] ? (estimator.higherIsBetter ? scores[a] > scores[b] : scores[a] < scores[b]) : a < b
        }
        let parents = ranked.prefix(config.parents).map { state.population[$0] }
        for parent in parents { state.parents.insert(space.canonical(parent.architecture)) }
        let parentMean = ranked.prefix(config.parents).reduce(0.0) { $0 + scores[$1] } / Double(parents.count)
        let record = IterationRecord(
            iteration: state.iteration, estimator: estimator.name, evaluated: state.evaluated,
            cascade: state.cascade, best: parents[0], bestScore: scores[ranked[0]], parentMean: parentMean,
            populationSize: state.population.count)
        if breeding, state.iteration + 1 < config.iterations { try breed(from: parents, for: state.iteration + 1) }
        state.history.append(record)
        state.evaluated = 0
        state.screened = 0
        state.cascade = nil
        state.iteration += 1
    }

    /// Whether `cascade` screens a whole space it enumerates, which holds every child evolution could breed.
    private func enumeratesSpace(_ cascade: Cascade?) -> Bool {
        guard let sample = cascade?.spaceSample else { return false }
        return SpacePool.enumerates(space, limit: sample)
    }

    /// Replaces the population with the parents and their mutants and crossovers, or, when `iteration` has a cascade,
    /// the population with the parents and the pool with its factor times as many children, drawn to differ also
    /// from what the iteration's estimator has scored already (none when the cascade enumerates the whole space).
    private func breed(from parents: [SearchMember], for iteration: Int) throws(LLMNASError) {
        let cascade = config.schedule.cascadeOfIteration[iteration]
        if enumeratesSpace(cascade) {
            state.population = parents
            state.pool = []
            return
        }
        var generator = state.generator
        var children: [SearchMember] = []
        var seen = Set(parents.map { space.canonical($0.architecture) })
        if cascade != nil {
            seen.formUnion(
                state.scores[config.schedule.estimatorOfIteration[iteration]].currentEntries.map(\.architecture))
        }
        for _ in 0..<(cascade?.poolSize(for: config.mutations) ?? config.mutations) {
            try children.append(
                draw(avoiding: &seen, what: "a mutant") { () throws(LLMNASError) in
                    let parent = parents[generator.index(below: parents.count)]
                    return try space.mutate(
                        parent.architecture, probability: config.mutationProbability, using: &generator)
                })
        }
        if parents.count >= 2 {
            for _ in 0..<(cascade?.poolSize(for: config.crossovers) ?? config.crossovers) {
                try children.append(
                    draw(avoiding: &seen, what: "a crossover child") { () throws(LLMNASError) in
                        let first = generator.index(below: parents.count)
                        var second = generator.index(below: parents.count - 1)
                        if second >= first { second += 1 }
                        return try space.crossover(
                            parents[first].architecture, parents[second].architecture, using: &generator)
                    })
            }
        }
        if cascade == nil {
            state.population = parents + children
        } else {
            state.population = parents
            state.pool = children
        }
        state.generator = generator
    }

    /// The first architecture from `propose` that is new to the population and meets the constraints.
    private func draw(
        avoiding seen: inout Set<Architecture>, what: String,
        _ propose: () throws(LLMNASError) -> Architecture
    ) throws(LLMNASError) -> SearchMember {
        var duplicates = 0
        var repeated: SearchMember?
        var closest: [Double] = config.constraints.map { _ in .infinity }
        for _ in 0..<SearchSpace.maximumAttempts {
            let architecture = try propose()
            let canonical = space.canonical(architecture)
            if seen.contains(canonical) {
                duplicates += 1
                if repeated == nil, let values = try admitted(architecture) {
                    repeated = SearchMember(architecture: architecture, constraintValues: values)
                }
                if duplicates >= HybridSearch.duplicateTolerance, let repeated { return repeated }
                continue
            }
            let values = try constraintValues(architecture)
            if allHold(values) {
                seen.insert(canonical)
                return SearchMember(architecture: architecture, constraintValues: values)
            }
            for (i, value) in values.enumerated() { closest[i] = min(closest[i], value) }
        }
        let limits = zip(config.constraints, closest).map { constraint, lowest in
            let seenText =
                lowest.isFinite
                ? "lowest seen \(JSONWriter.formatNumber(lowest))" : "never reached: an earlier constraint failed first"
            return "\(constraint.name) <= \(JSONWriter.formatNumber(constraint.maximum)) (\(seenText))"
        }
        let why =
            duplicates == SearchSpace.maximumAttempts
            ? "every draw repeated a member: the space is smaller than the population"
            : "the constraints \(limits.joined(separator: ", ")) left nothing feasible"
        throw LLMNASError(.infeasible, "no \(what) found in \(SearchSpace.maximumAttempts) draws: \(why)")
    }

    /// Each constraint's value and limit for a message.
    func describeConstraints(of architecture: Architecture) throws(LLMNASError) -> String {
        var parts: [String] = []
        for constraint in config.constraints {
            let value = try value(of: constraint, for: architecture)
            parts.append(
                "\(constraint.name) = \(JSONWriter.formatNumber(value)) (max "
                    + "\(JSONWriter.formatNumber(constraint.maximum)))"
            )
        }
        return parts.joined(separator: ", ")
    }
}
