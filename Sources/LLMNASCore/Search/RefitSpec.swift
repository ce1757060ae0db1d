/// Re-distillation during a search: an MLP estimator refitted every `every` iterations on its initial `labels`
/// (LLM-PP labels or any others) together with the (architecture, score) pairs the estimator `on` has given so far;
/// a pair replaces the label of the same architecture. Each refit trains a fresh MLP with `train`, seeded from the
/// search's seed and the iteration, so a search refits identically for a seed.
public struct RefitSpec: Sendable {
    /// The name of the estimator whose scores are learnt (resolved against the config by `SearchConfig`).
    public let on: String
    /// Iterations between refits: a refit runs before iterations that are multiples of it.
    public let every: Int
    /// The labels the estimator's model was (or is to be) distilled from.
    public let labels: [Demonstration]
    /// How each refit trains; its seed is replaced by one drawn from the search's seed and the iteration.
    public let train: MLPConfig

    /// Reads `{"on", "every", "labels", "train"}` of an MLP estimator.
    init(json: JSONValue, context: String, space: SearchSpace) throws(LLMNASError) {
        let context = "\(context): refit"
        let r = try JSONObjectReader(
            json, context: context, allowed: ["on", "every", "labels", "train"], kind: .invalidArgument)
        on = try r.requiredString("on")
        every = try r.int("every", in: 1...SearchConfig.maximumIterations) ?? 1
        if let list = r.value("labels") {
            do {
                labels = try Demonstration.list(fromJSON: JSONWriter.write(list), in: space, anyScale: true)
            } catch {
                throw LLMNASError(error.kind, "\(context): labels: \(error.message)")
            }
        } else {
            labels = []
        }
        do {
            train = try MLPConfig(json: r.value("train"))
        } catch {
            throw LLMNASError(error.kind, "\(context): \(error.message)")
        }
    }

    /// The training config of the refit before `iteration` of a search seeded with `seed`.
    func trainConfig(seed: UInt64, iteration: Int) -> MLPConfig {
        var config = train
        var generator = SeededGenerator(seed: seed ^ (UInt64(iteration) &* 0x9E37_79B9_7F4A_7C15))
        config.seed = generator.next()
        return config
    }
}
