/// The generative prompt (the paper's code has one, asking for architectures within a GFLOPs budget): the role of
/// an architecture designer; the task, dataset and metric; the hyperparameters with their meanings and choices and
/// the space's rules; the demonstrations as architecture JSON with their GFLOPs and scores; and the request for new
/// architectures that should score better, one JSON object per line, listing those proposed in earlier rounds.
struct ProposalPrompt {
    /// The space, the task and the prompt options.
    let builder: PromptBuilder
    /// The request.
    let request: ProposalRequest

    private var space: SearchSpace { builder.space }
    private var metric: String { space.metric.name }

    /// The messages of a round asking for `missing` more architectures, after `proposed` were accepted.
    func messages(demonstrations: [Demonstration], missing: Int, proposed: [Architecture]) throws(LLMNASError)
        -> [ChatMessage]
    {
        var messages: [ChatMessage] = []
        if builder.task.options.role {
            let what = builder.task.name.map { "\($0) models" } ?? "neural networks"
            messages.append(
                ChatMessage(
                    role: "system",
                    content:
                        "You are an architecture designer for \(what): you propose architectures that reach a better "
                        + "\(metric)."
                ))
        }
        var sections = [context(), hyperparameters()]
        var shown = ["Architectures measured so far:"]
        for (i, demonstration) in demonstrations.enumerated() {
            shown.append(
                "Architecture \(i + 1): " + space.jsonText(of: demonstration.architecture)
                    + (try costText(demonstration.architecture))
                    + "\n\(metric): " + DecimalFormat.fixed(demonstration.score, space.metric.decimals))
        }
        sections.append(shown.joined(separator: "\n"))
        if !proposed.isEmpty {
            sections.append(
                (["Already proposed (do not repeat them):"] + proposed.map(space.jsonText(of:))).joined(separator: "\n")
            )
        }
        sections.append(ask(missing))
        messages.append(ChatMessage(role: "user", content: sections.joined(separator: "\n\n")))
        return messages
    }

    private func context() -> String {
        var lines = ["Task: " + (builder.task.description ?? space.task)]
        let direction = space.metric.higherIsBetter ? "higher is better" : "lower is better"
        lines.append((builder.task.dataset.map { "Dataset: \($0). " } ?? "") + "Metric: \(metric) (\(direction)).")
        if let backbone = builder.task.backbone {
            lines.append(
                "Backbone: \(backbone). Every candidate is trained with the same recipe; only the hyperparameters "
                    + "below differ."
            )
        }
        if space.costModel != nil {
            lines.append(
                "Efficiency: GFLOPs is the number of billions of floating-point operations of one forward pass.")
        }
        return lines.joined(separator: "\n")
    }

    private func hyperparameters() -> String {
        var lines = ["The hyperparameters and the values each may take:"]
        for hp in space.hyperparameters {
            let choices = hp.choices.map { JSONWriter.write($0.json) }.joined(separator: ", ")
            let shape =
                switch hp.shape {
                case .scalar: "one of \(choices)"
                case .list(let length): "a list of \(length) values, each one of \(choices)"
                case .perLayer(let counter):
                    "a list with one value per layer (as many as \(counter)), each one of \(choices)"
                }
            lines.append("- \(hp.name): \(hp.meaning). Value: \(shape).")
        }
        for rule in space.constraints { lines.append("Rule: \(rule.description).") }
        return lines.joined(separator: "\n")
    }

    private func costText(_ architecture: Architecture) throws(LLMNASError) -> String {
        guard let costModel = space.costModel else { return "" }
        return "\nGFLOPs: "
            + DecimalFormat.fixed(Double(try costModel.counts(of: architecture, in: space).flops) / 1e9, 2)
    }

    private func ask(_ missing: Int) -> String {
        var budget: [String] = []
        if let gflops = request.maxGFLOPs { budget.append("at most \(JSONWriter.formatNumber(gflops)) GFLOPs") }
        if let parameters = request.maxParameters {
            budget.append("at most \(JSONWriter.formatNumber(parameters)) parameters")
        }
        let within = budget.isEmpty ? "" : ", each with " + budget.joined(separator: " and ")
        let keys = space.hyperparameters.map(\.name).joined(separator: ", ")
        let better = space.metric.higherIsBetter ? "higher" : "lower"
        let form =
            request.structured
            ? "Answer with a JSON object whose \"architectures\" lists them, each an object "
            : "Answer with one JSON object per line, "
        return
            "Propose \(missing) new architecture\(missing == 1 ? "" : "s") that should reach a \(better) \(metric) "
            + "than all of the above\(within). "
            + "Each must differ from the architectures above and from the others. " + form
            + "with exactly the keys \(keys), as the architectures above are written, and nothing else."
    }
}
