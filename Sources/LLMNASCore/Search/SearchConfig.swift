/// How a hybrid search runs, read from JSON. `{}` gives HAT's evolution (population 125, 25 parents, 50 mutations
/// with probability 0.3, 50 crossovers, 30 iterations, seed 0) scored by one host estimator named "host", higher
/// better, with no constraints.
public struct SearchConfig: Sendable {
    /// Seeds every random choice of the search.
    public var seed: UInt64 = 0
    /// Size of the first population.
    public var population = 125
    /// Architectures kept as parents each iteration.
    public var parents = 25
    /// Children made by mutation each iteration.
    public var mutations = 50
    /// Probability that mutation redraws a gene.
    public var mutationProbability = 0.3
    /// Children made by crossover each iteration.
    public var crossovers = 50
    /// Iterations (generations) of the search.
    public var iterations = 30
    /// The estimators the schedule may use.
    public var estimators = [EstimatorSpec(name: "host", kind: .host, higherIsBetter: true)]
    /// Which estimator scores each iteration.
    public var schedule = IterationSchedule(single: 30)
    /// Limits every candidate must meet.
    public var constraints: [SearchConstraint] = []
    /// Architectures the first population starts from (a warm start); the rest is sampled.
    public var initial: [Architecture] = []
    /// The most scores the host estimators (the expensive ones) may be asked for; the search ends when they have
    /// answered that many, its last iteration recorded over the members they scored. Nil: no bound.
    public var maxExpensiveCalls: Int?
    /// Where the state is saved after every tell, if anywhere.
    public var checkpoint: String?
    /// The config as given, kept in checkpoints.
    public var json: JSONValue = .object([])

    /// The largest population (and number of parents, mutations, crossovers or warm-start architectures) a config
    /// may ask for.
    public static let maximumPopulation = 100_000
    /// The largest number of iterations.
    public static let maximumIterations = 100_000

    /// Reads a config for a search of `space`; unknown keys and inconsistent values are errors.
    public init(json given: JSONValue?, space: SearchSpace) throws(LLMNASError) {
        let json = given ?? .object([])
        self.json = json
        let keys: Set<String> = [
            "seed", "population", "parents", "mutations", "mutation_probability", "crossovers", "iterations",
            "estimators", "schedule", "constraints", "initial", "checkpoint", "max_expensive_calls",
        ]
        let r = try JSONObjectReader(json, context: "search config", allowed: keys, kind: .invalidArgument)
        seed = UInt64(try r.int("seed", in: 0...Int.max) ?? 0)
        population = try r.int("population", in: 1...SearchConfig.maximumPopulation) ?? population
        parents = try r.int("parents", in: 1...SearchConfig.maximumPopulation) ?? parents
        mutations = try r.int("mutations", in: 0...SearchConfig.maximumPopulation) ?? mutations
        mutationProbability = try r.number("mutation_probability", in: 0...1) ?? mutationProbability
        crossovers = try r.int("crossovers", in: 0...SearchConfig.maximumPopulation) ?? crossovers
        iterations = try r.int("iterations", in: 1...SearchConfig.maximumIterations) ?? iterations
        guard parents <= population else {
            throw LLMNASError(
                .invalidArgument, "search config: parents (\(parents)) cannot exceed the population (\(population))")
        }
        guard crossovers == 0 || parents >= 2 else {
            throw LLMNASError(.invalidArgument, "search config: crossover needs at least 2 parents")
        }
        guard parents + mutations + crossovers <= SearchConfig.maximumPopulation else {
            throw LLMNASError(
                .invalidArgument,
                "search config: parents + mutations + crossovers exceed \(SearchConfig.maximumPopulation)")
        }
        if let list = r.value("estimators") {
            guard let elements = list.arrayValue, !elements.isEmpty, elements.count <= 64 else {
                throw LLMNASError(.invalidArgument, "search config: 'estimators' must list 1 to 64 estimators")
            }
            var declared: [EstimatorSpec] = []
            for (i, element) in elements.enumerated() {
                let estimator = try EstimatorSpec(json: element, index: i, space: space)
                guard !declared.contains(where: { $0.name == estimator.name }) else {
                    throw LLMNASError(
                        .invalidArgument, "search config: estimator name '\(estimator.name)' is declared twice")
                }
                declared.append(estimator)
            }
            estimators = declared
        }
        if let list = r.value("schedule") {
            schedule = try IterationSchedule(json: list, estimators: estimators, iterations: iterations)
        } else if estimators.count == 1 {
            schedule = IterationSchedule(single: iterations)
        } else {
            throw LLMNASError(
                .invalidArgument,
                "search config: with \(estimators.count) estimators a 'schedule' must say which scores which iterations"
            )
        }
        try checkCascades()
        try checkRefits()
        try checkGaussianProcesses()
        if let list = r.value("constraints") {
            guard let elements = list.arrayValue, elements.count <= 64 else {
                throw LLMNASError(
                    .invalidArgument, "search config: 'constraints' must be a list of at most 64 constraints")
            }
            for (i, element) in elements.enumerated() {
                let constraint = try SearchConstraint(json: element, index: i, space: space)
                guard !constraints.contains(where: { $0.name == constraint.name }) else {
                    throw LLMNASError(.invalidArgument, "search config: two constraints are named '\(constraint.name)'")
                }
                constraints.append(constraint)
            }
        }
        if let list = r.value("initial") {
            guard let elements = list.arrayValue, elements.count <= population else {
                throw LLMNASError(
                    .invalidArgument,
                    "search config: 'initial' must be a list of at most population (\(population)) architectures")
            }
            for (i, element) in elements.enumerated() {
                do {
                    initial.append(try space.architecture(from: element))
                } catch {
                    throw LLMNASError(error.kind, "search config: initial architecture \(i): \(error.message)")
                }
            }
        }
        maxExpensiveCalls = try r.int("max_expensive_calls", in: 1...Int(Int32.max))
        checkpoint = try r.string("checkpoint")
        if let checkpoint, checkpoint.isEmpty {
            throw LLMNASError(.invalidArgument, "search config: 'checkpoint' is an empty path")
        }
    }

    /// Checks that no cascade's pool exceeds the population bound.
    private func checkCascades() throws(LLMNASError) {
        for cascade in Set(schedule.cascadeOfIteration.compactMap { $0?.pool }) {
            let largest = Int((cascade * Double(max(population, mutations + crossovers))).rounded())
            guard largest <= SearchConfig.maximumPopulation else {
                throw LLMNASError(
                    .invalidArgument,
                    "search config: a cascade pool of \(cascade)x gives \(largest) candidates, over "
                        + "\(SearchConfig.maximumPopulation)"
                )
            }
        }
    }

    /// Checks that each refit learns another declared estimator with the same direction.
    private func checkRefits() throws(LLMNASError) {
        for estimator in estimators {
            guard let refit = estimator.refit else { continue }
            let context = "search config: estimator '\(estimator.name)': refit"
            guard let target = estimators.first(where: { $0.name == refit.on }) else {
                throw LLMNASError(.invalidArgument, "\(context): 'on' names no declared estimator ('\(refit.on)')")
            }
            guard target.name != estimator.name, target.refit == nil else {
                throw LLMNASError(
                    .invalidArgument,
                    "\(context): '\(target.name)' is refitted itself; a refit learns an estimator that does not change")
            }
            guard target.higherIsBetter == estimator.higherIsBetter else {
                throw LLMNASError(
                    .invalidArgument,
                    "\(context): '\(target.name)' and '\(estimator.name)' disagree on higher_is_better")
            }
        }
    }

    /// Checks that each Gaussian process learns another estimator with the same direction, has an MLP prior if any,
    /// and only screens.
    private func checkGaussianProcesses() throws(LLMNASError) {
        for (index, estimator) in estimators.enumerated() {
            guard case .gaussianProcess(let on, _, let prior) = estimator.kind else { continue }
            let context = "search config: estimator '\(estimator.name)'"
            guard let target = estimators.first(where: { $0.name == on }) else {
                throw LLMNASError(.invalidArgument, "\(context): 'on' names no declared estimator ('\(on)')")
            }
            if case .gaussianProcess = target.kind {
                throw LLMNASError(.invalidArgument, "\(context): 'on' names a Gaussian process; it learns scores")
            }
            guard target.higherIsBetter == estimator.higherIsBetter else {
                throw LLMNASError(
                    .invalidArgument, "\(context): '\(on)' and '\(estimator.name)' disagree on higher_is_better")
            }
            if let prior {
                guard let model = estimators.first(where: { $0.name == prior }), case .mlp = model.kind,
                    model.refit == nil, model.higherIsBetter == estimator.higherIsBetter
                else {
                    throw LLMNASError(
                        .invalidArgument,
                        "\(context): 'prior' must name an MLP estimator without a refit and with the same "
                            + "higher_is_better ('\(prior)')")
                }
            }
            if let iteration = schedule.estimatorOfIteration.firstIndex(of: index) {
                throw LLMNASError(
                    .invalidArgument,
                    "\(context): a Gaussian process screens whole-space cascades; it cannot score iteration "
                        + "\(iteration)")
            }
        }
    }

    /// The estimator scoring `iteration`.
    public func estimator(ofIteration iteration: Int) -> EstimatorSpec {
        estimators[schedule.estimatorOfIteration[iteration]]
    }
}
