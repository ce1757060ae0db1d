/// Which parts of the LLM-PP prompt are present: every part on by default, each switchable for the paper's
/// ablations ("instructions": false keeps only the role, the demonstrations and the architecture to judge;
/// "hyperparameters" alone gives the meanings-only variant).
public struct PromptOptions: Sendable, Equatable {
    /// The one-line role (system message).
    public var role = true
    /// The task description and the answer format.
    public var instructions = true
    /// The hyperparameters' one-line meanings.
    public var hyperparameters = true
    /// The dataset's name and metric.
    public var dataset = true
    /// Example input/output pairs from the dataset, when the task gives them.
    public var examples = true
    /// The backbone and the same-recipe statement, when the task names a backbone.
    public var backbone = true
    /// GFLOPs: the efficiency sentence and each architecture's GFLOPs line (spaces with a cost model).
    public var gflops = true
    /// The sentence asking the model to study the demonstrations.
    public var studyDemonstrations = true
    /// Show only this many demonstrations, the nearest to the architecture judged, nearest last
    /// (`NearestDemonstrations`); nil shows every one in the order given, the same for every item, so prompts share
    /// their prefix.
    public var nearestDemonstrations: Int?

    /// Every part on.
    public init() {}

    /// Reads options from JSON: an object of booleans named "role", "instructions", "hyperparameters",
    /// "dataset", "examples", "backbone", "gflops", "study_demonstrations" (absent keys stay on) and the integer
    /// "nearest_demonstrations".
    public init(json: JSONValue?) throws(LLMNASError) {
        guard let json else { return }
        let keys = [
            "role", "instructions", "hyperparameters", "dataset", "examples", "backbone", "gflops",
            "study_demonstrations",
            "nearest_demonstrations",
        ]
        let r = try JSONObjectReader(json, context: "prompt options", allowed: Set(keys), kind: .invalidArgument)
        role = try r.bool("role") ?? true
        instructions = try r.bool("instructions") ?? true
        hyperparameters = try r.bool("hyperparameters") ?? true
        dataset = try r.bool("dataset") ?? true
        examples = try r.bool("examples") ?? true
        backbone = try r.bool("backbone") ?? true
        gflops = try r.bool("gflops") ?? true
        studyDemonstrations = try r.bool("study_demonstrations") ?? true
        nearestDemonstrations = try r.int("nearest_demonstrations", in: 1...100_000)
    }

    /// The options as JSON, as `init(json:)` reads them: the parts switched off and "nearest_demonstrations" when set
    /// (`{}` for the defaults).
    public var json: JSONValue {
        let parts: [(String, Bool)] = [
            ("role", role), ("instructions", instructions), ("hyperparameters", hyperparameters), ("dataset", dataset),
            ("examples", examples), ("backbone", backbone), ("gflops", gflops),
            ("study_demonstrations", studyDemonstrations),
        ]
        return .object(
            parts.filter { !$0.1 }.map { ($0.0, .bool(false)) }
                + (nearestDemonstrations.map { [("nearest_demonstrations", .number(Double($0)))] } ?? []))
    }
}
