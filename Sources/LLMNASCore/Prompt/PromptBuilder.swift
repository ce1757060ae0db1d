/// Builds the LLM-PP prompt in the structure of Jawahar et al. (2024): a role; instructions (the task, dataset and
/// metric, dataset examples, the backbone and its shared training recipe, what GFLOPs mean, a request to study the
/// demonstrations); the hyperparameters' meanings; the demonstrations, each as `name: value` lines, GFLOPs and
/// score; and last the architecture to judge with its score line left open.
public struct PromptBuilder: Sendable {
    /// The space the architectures belong to.
    public let space: SearchSpace
    /// The task and the prompt options.
    public let task: PredictionTask

    /// A builder for `space` and `task`.
    public init(space: SearchSpace, task: PredictionTask) {
        self.space = space
        self.task = task
    }

    private var metric: String { space.metric.name }
    private var showsGFLOPs: Bool { task.options.gflops && space.costModel != nil }

    /// The messages asking the model to judge `architecture` given `demonstrations` (only the nearest, when the
    /// options say so): a system message with the role (when on) and a user message with everything else. Fails
    /// only when the GFLOPs line is shown and the space's host cost fails.
    public func messages(demonstrations given: [Demonstration], judging architecture: Architecture) throws(LLMNASError)
        -> [ChatMessage]
    {
        var demonstrations = given
        if let nearest = task.options.nearestDemonstrations {
            demonstrations = try NearestDemonstrations.choose(nearest, of: given, for: architecture, in: space)
        }
        var messages: [ChatMessage] = []
        if task.options.role {
            let what = task.name.map { "\($0) models" } ?? "neural network architectures"
            messages.append(
                ChatMessage(
                    role: "system",
                    content:
                        "You are a performance estimator for \(what): you predict the \(metric) score an "
                        + "architecture will reach."
                ))
        }
        var sections: [String] = []
        if task.options.instructions { sections.append(instructions()) }
        if task.options.hyperparameters {
            let lines = space.hyperparameters.map { "- \($0.name): \($0.meaning)" }
            sections.append((["The hyperparameters:"] + lines).joined(separator: "\n"))
        }
        var body: [String] = []
        for (i, demonstration) in demonstrations.enumerated() {
            body.append(
                "Architecture \(i + 1):\n" + (try describe(demonstration.architecture)) + "\n\(metric): "
                    + DecimalFormat.fixed(demonstration.score, space.metric.decimals))
        }
        body.append("Architecture to judge:\n" + (try describe(architecture)) + "\n\(metric):")
        sections.append(body.joined(separator: "\n\n"))
        messages.append(ChatMessage(role: "user", content: sections.joined(separator: "\n\n")))
        return messages
    }

    private func instructions() -> String {
        var lines = ["Task: " + (task.description ?? space.task)]
        if task.options.dataset, let dataset = task.dataset {
            lines.append(
                "Dataset: \(dataset). Metric: \(metric) (higher is "
                    + "\(space.metric.higherIsBetter ? "better" : "worse"))."
            )
        }
        if task.options.examples, !task.examples.isEmpty {
            lines.append("Examples from the dataset:")
            for example in task.examples { lines.append("Input: \(example.input)\nOutput: \(example.output)") }
        }
        if task.options.backbone, let backbone = task.backbone {
            lines.append(
                "Backbone: \(backbone). Every candidate is trained with the same recipe; only the hyperparameters "
                    + "below differ."
            )
        }
        if showsGFLOPs {
            lines.append(
                "Efficiency: GFLOPs is the number of billions of floating-point operations of one forward pass.")
        }
        if task.options.studyDemonstrations {
            lines.append(
                "Study the demonstrations first to learn how the hyperparameters\(showsGFLOPs ? ", the GFLOPs" : "") "
                    + "and the \(metric) score relate."
            )
        }
        lines.append(
            "Answer with the \(metric) score of the last architecture only: one number with \(space.metric.decimals) "
                + "decimals."
        )
        return lines.joined(separator: "\n")
    }

    /// `name: value` lines for every hyperparameter (lists as `[a, b]`), then GFLOPs with one decimal when shown.
    public func describe(_ architecture: Architecture) throws(LLMNASError) -> String {
        var lines: [String] = []
        for (i, hp) in space.hyperparameters.enumerated() {
            let values = space.activeGenes(ofHyperparameter: i, in: architecture).map { hp.choices[$0].label }
            lines.append(
                "\(hp.name): " + (hp.shape == .scalar ? values[0] : "[" + values.joined(separator: ", ") + "]"))
        }
        if showsGFLOPs, let costModel = space.costModel {
            lines.append(
                "GFLOPs: "
                    + DecimalFormat.fixed(Double(try costModel.counts(of: architecture, in: space).flops) / 1e9, 1))
        }
        return lines.joined(separator: "\n")
    }
}
