/// One estimator a search may score candidates with, as its config declares it.
public struct EstimatorSpec: Sendable {
    /// Where the estimator's scores come from.
    public enum Kind: Sendable {
        /// The host scores the candidates: through `ask`/`tell` or a callback of `run` (a supernet, a training run).
        case host
        /// An MLP on the architecture's features (LLM-Distill-PP): loaded from the file `model` when given,
        /// otherwise bound to the search by name.
        case mlp(model: String?)
        /// LLM-PP directly: a client bound to the search by name, with the prediction task and demonstrations.
        case llm(task: PredictionTask, demonstrations: [Demonstration])
        /// A Gaussian process (`GaussianProcess`) fitted afresh, before each iteration it screens, to every score the
        /// estimator `on` has given; it scores optimistically, its mean plus `exploration` standard deviations (minus,
        /// when lower is better), and reports the deviation as its spread. With a `prior` (an MLP estimator of the
        /// config: a model distilled from LLM-PP labels or fitted to related tasks' scores), the process models what
        /// the prior's prediction, mapped onto the scores by a line, leaves unexplained; the line leans on the prior
        /// while few scores exist and on the scores as they accumulate. Only a whole-space cascade's screen.
        case gaussianProcess(on: String, exploration: Double, prior: String?)
    }

    /// The default `exploration` of a Gaussian-process estimator.
    public static let defaultExploration = 1.0

    /// The name the schedule and the host use.
    public let name: String
    /// Where scores come from.
    public let kind: Kind
    /// Whether a higher score is a better architecture (BLEU, accuracy) or a lower one (validation loss).
    public let higherIsBetter: Bool
    /// For an MLP estimator, how it is refitted during the search, if it is.
    public let refit: RefitSpec?

    /// An estimator from its parts.
    public init(name: String, kind: Kind, higherIsBetter: Bool, refit: RefitSpec? = nil) {
        self.name = name
        self.kind = kind
        self.higherIsBetter = higherIsBetter
        self.refit = refit
    }

    /// Whether the host scores this estimator's candidates.
    public var isHost: Bool { if case .host = kind { true } else { false } }

    /// Whether this is an MLP estimator whose model is bound by name rather than read from a file.
    var awaitsModel: Bool { if case .mlp(nil) = kind { true } else { false } }

    /// Reads `{"name", "kind": "host"|"mlp"|"llm"|"gp", "higher_is_better", "model", "refit", "task",
    /// "demonstrations", "on", "exploration", "prior"}`.
    init(json: JSONValue, index: Int, space: SearchSpace) throws(LLMNASError) {
        let context = "search config: estimator \(index)"
        let r = try JSONObjectReader(
            json, context: context,
            allowed: [
                "name", "kind", "higher_is_better", "model", "refit", "task", "demonstrations", "on", "exploration",
                "prior",
            ],
            kind: .invalidArgument)
        name = try r.requiredString("name")
        guard !name.isEmpty, name.utf8.count <= 200 else {
            throw LLMNASError(.invalidArgument, "\(context): the name must have 1 to 200 bytes")
        }
        higherIsBetter = try r.bool("higher_is_better") ?? true
        let kindName = try r.string("kind") ?? "host"
        let keysOfKind: [String: Set<String>] = [
            "host": [], "mlp": ["model", "refit"], "llm": ["task", "demonstrations"],
            "gp": ["on", "exploration", "prior"],
        ]
        guard let own = keysOfKind[kindName] else {
            throw LLMNASError(.invalidArgument, "\(context): kind '\(kindName)' is not one of host, mlp, llm, gp")
        }
        let specific = ["model", "refit", "task", "demonstrations", "on", "exploration", "prior"]
        for key in specific where r.value(key) != nil && !own.contains(key) {
            throw LLMNASError(.invalidArgument, "\(context): '\(key)' does not apply to kind '\(kindName)'")
        }
        refit = try r.value("refit").map { json throws(LLMNASError) in
            try RefitSpec(json: json, context: context, space: space)
        }
        switch kindName {
        case "mlp": kind = .mlp(model: try r.string("model"))
        case "llm":
            let demonstrations = try Demonstration.list(
                fromJSON: JSONWriter.write(r.required("demonstrations")), in: space)
            kind = .llm(task: try PredictionTask(json: r.value("task")), demonstrations: demonstrations)
        case "gp":
            kind = .gaussianProcess(
                on: try r.requiredString("on"),
                exploration: try r.number("exploration", in: 0...100) ?? EstimatorSpec.defaultExploration,
                prior: try r.string("prior"))
        default: kind = .host
        }
    }
}
