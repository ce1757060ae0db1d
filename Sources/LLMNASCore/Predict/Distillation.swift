/// LLM-Distill-PP (Jawahar et al., 2024): label architectures of a pool with LLM-PP, then train an MLP from their
/// features to those labels, so that later predictions cost microseconds and no request.
public enum Distillation {
    /// Reads a pool of architectures from JSON Lines: each line an architecture, or an object whose "architecture"
    /// member is one ("arch" in the paper's data/llmpp-wmt/unlabeled_archs.jsonl).
    public static func readPool(_ path: String, in space: SearchSpace) throws(LLMNASError) -> [Architecture] {
        var pool: [Architecture] = []
        for (i, line) in try FileIO.readText(path).split(separator: "\n").enumerated()
        where !line.allSatisfy(\.isWhitespace) {
            do {
                let value = try JSONParser.parse(String(line))
                pool.append(try space.architecture(from: value["architecture"] ?? value["arch"] ?? value))
            } catch {
                throw LLMNASError(error.kind, "\(path) line \(i + 1): \(error.message)")
            }
        }
        guard !pool.isEmpty else { throw LLMNASError(.invalidArgument, "\(path) holds no architecture") }
        return pool
    }

    /// Labels `labels` architectures drawn from `pool` (without replacement, by `seed`) with `predictor`, trains an
    /// MLP on the labelled ones with `config`, and reports what the labels cost against the cost of a prediction
    /// afterwards. Items LLM-PP could not label are left out of training and counted. `progress` hears stages
    /// "label (llmpp)" (and "label (calibration)"), then "train".
    public static func run(
        predictor: LLMPPPredictor, pool: [Architecture], labels: Int, seed: UInt64, config: MLPConfig,
        progress: ProgressHandler = { _ in true }
    ) throws(LLMNASError) -> (MLP, JSONValue) {
        let (model, report) = try run(
            space: predictor.builder.space, client: predictor.client, pool: pool, labels: labels, seed: seed,
            config: config, progress: progress, label: { predictor.predict($0, progress: $1) })
        guard let calibration = predictor.calibration, var members = report.objectMembers else {
            return (model, report)
        }
        members.append(("calibration", calibration.json))
        return (model, .object(members))
    }

    /// `run` with any labeller: `label` scores the chosen architectures (hearing `progress`), `client` (if any) is
    /// the one whose ledger the labels' requests go to.
    public static func run(
        space: SearchSpace, client: LLMClient?, pool: [Architecture], labels: Int, seed: UInt64, config: MLPConfig,
        progress: ProgressHandler = { _ in true },
        label: ([Architecture], ProgressHandler) -> [Result<Double, LLMNASError>]
    ) throws(LLMNASError) -> (MLP, JSONValue) {
        guard labels >= 2 else {
            throw LLMNASError(.invalidArgument, "distillation needs at least 2 labels, not \(labels)")
        }
        guard labels <= pool.count else {
            throw LLMNASError(.invalidArgument, "labels is \(labels) but the pool holds \(pool.count) architectures")
        }
        var order = Array(pool.indices)
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)
        let chosen = order.prefix(labels).map { pool[$0] }
        // Features first: a host featurizer that fails does so before any label is paid for.
        var features: [[Float]] = []
        for architecture in chosen { features.append(try space.features(of: architecture)) }
        let before = client?.ledger ?? UsageLedger()
        var cancelled = false
        let results = withoutActuallyEscaping(progress) { progress in
            label(chosen) { report in
                cancelled = !progress(report.renamed("label (\(report.stage))"))
                return !cancelled
            }
        }
        if cancelled { throw LLMNASError(.cancelled, "distillation cancelled while labelling") }
        let after = client?.ledger ?? UsageLedger()
        var x: [Float] = []
        var y: [Float] = []
        var firstFailure: String?
        for (row, result) in zip(features, results) {
            switch result {
            case .success(let score):
                x += row
                y.append(Float(score))
            case .failure(let error):
                firstFailure = firstFailure ?? error.message
            }
        }
        guard y.count >= 2 else {
            throw LLMNASError(.badAnswer, "only \(y.count) of \(chosen.count) architectures got a usable LLM-PP label")
        }
        let trainStart = MonotonicClock.now()
        let model = try MLPTrainer.train(
            config: config, x: x, y: y, rows: y.count, dim: space.featureCount, progress: progress)
        let trainSeconds = MonotonicClock.now() - trainStart
        let predictStart = MonotonicClock.now()
        _ = try model.predict(pool, in: space)
        let perPrediction = (MonotonicClock.now() - predictStart) / Double(pool.count)
        let labelled = Double(y.count)
        var members: [(String, JSONValue)] = [
            ("pool_size", .number(Double(pool.count))), ("labels_requested", .number(Double(chosen.count))),
            ("labels", .number(labelled)), ("failed", .number(Double(chosen.count - y.count))),
            ("label_requests", .number(Double(after.requests - before.requests))),
            ("label_cache_hits", .number(Double(after.cacheHits - before.cacheHits))),
            ("label_prompt_tokens", .number(Double(after.promptTokens - before.promptTokens))),
            ("label_cached_prompt_tokens", .number(Double(after.cachedPromptTokens - before.cachedPromptTokens))),
            ("label_completion_tokens", .number(Double(after.completionTokens - before.completionTokens))),
            ("label_cost", .number(after.cost - before.cost)),
            ("label_seconds", .number(after.wallSeconds - before.wallSeconds)),
            ("seconds_per_label", .number((after.wallSeconds - before.wallSeconds) / labelled)),
            ("cost_per_label", .number((after.cost - before.cost) / labelled)),
            ("train_seconds", .number(trainSeconds)),
            ("seconds_per_prediction", .number(perPrediction)),
        ]
        if let firstFailure { members.insert(("first_failure", .string(firstFailure)), at: 4) }
        return (model, .object(members))
    }
}
