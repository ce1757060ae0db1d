/// LLM-proposed architectures: asks the LLM for architectures that should score better than the demonstrations
/// (`ProposalPrompt`), parses every JSON object of its answer, and accepts those that are architectures of the space,
/// keep the space's rules and the request's budgets, and repeat neither a demonstration nor an accepted proposal.
/// Every other object (and an answer with none) is rejected with its reason. Rounds go on, each asking for the
/// proposals still missing, until the count is reached, a round accepts nothing (the next would ask the same) or the
/// request's rounds are spent. Answers go through the
/// client, so its cache replays earlier rounds for free.
public struct LLMProposer {
    /// The client asked.
    public let client: LLMClient
    /// The space, the task and the prompt options.
    public let builder: PromptBuilder
    /// The measured architectures shown.
    public let demonstrations: [Demonstration]

    /// A proposer for `space` and `task` showing `demonstrations`.
    public init(client: LLMClient, space: SearchSpace, task: PredictionTask, demonstrations: [Demonstration]) {
        self.client = client
        builder = PromptBuilder(space: space, task: task)
        self.demonstrations = demonstrations
    }

    /// Runs the rounds of `request`; a failed request ends them with its error.
    public func propose(_ request: ProposalRequest) throws(LLMNASError) -> ProposalResult {
        let space = builder.space
        let prompt = ProposalPrompt(builder: builder, request: request)
        var result = ProposalResult(requested: request.count)
        let longest = demonstrations.map { space.jsonText(of: $0.architecture).utf8.count }.max() ?? 0
        var known: [Architecture: String] = [:]
        for (i, demonstration) in demonstrations.enumerated()
        where known[space.canonical(demonstration.architecture)] == nil {
            known[space.canonical(demonstration.architecture)] = "it repeats demonstration \(i + 1)"
        }
        var progressed = true
        while progressed, result.accepted.count < request.count, result.rounds < request.rounds {
            result.rounds += 1
            let before = result.accepted.count
            let missing = request.count - result.accepted.count
            let messages = try prompt.messages(
                demonstrations: demonstrations, missing: missing, proposed: result.accepted.map(\.architecture))
            let format: AnswerShape.Format =
                request.structured
                ? .schema(name: "proposals", ProposalSchema.schema(for: space, count: missing)) : .text
            let shape = AnswerShape(
                maxTokens: request.tokens(asking: missing, longest: longest), samples: 1, format: format)
            let answer = try client.complete([messages], shape: shape)[0].get().first ?? ""
            for fragment in ProposalParser.fragments(of: answer) {
                switch judge(fragment, request: request, known: known, full: result.accepted.count >= request.count) {
                case .success(let architecture):
                    known[space.canonical(architecture)] = "it repeats proposal \(result.accepted.count + 1)"
                    result.accepted.append(ProposalResult.Accepted(round: result.rounds, architecture: architecture))
                case .failure(let reason):
                    result.rejected.append(
                        ProposalResult.Rejected(round: result.rounds, text: fragment.text, reason: reason))
                }
            }
            progressed = result.accepted.count > before
        }
        return result
    }

    /// The architecture a fragment proposes, or why it is refused.
    private func judge(
        _ fragment: ProposalParser.Fragment, request: ProposalRequest, known: [Architecture: String],
        full: Bool
    ) -> Result<Architecture, ProposalResult.Reason> {
        let space = builder.space
        if let problem = fragment.problem { return .failure(.init(problem)) }
        let architecture: Architecture
        do {
            architecture = try space.architecture(from: JSONParser.parse(fragment.text))
        } catch {
            return .failure(
                .init(
                    error.kind == .invalidArchitecture
                        ? "not an architecture of '\(space.name)': \(error.message)"
                        : "malformed JSON: \(error.message)"))
        }
        if let repeated = known[space.canonical(architecture)] { return .failure(.init(repeated)) }
        if let costModel = space.costModel {
            let counts: CostCounts
            do { counts = try costModel.counts(of: architecture, in: space) } catch {
                return .failure(.init(error.message))
            }
            let gflops = Double(counts.flops) / 1e9
            if let limit = request.maxGFLOPs, gflops > limit {
                return .failure(
                    .init(
                        "\(DecimalFormat.fixed(gflops, 3)) GFLOPs exceed max_gflops \(JSONWriter.formatNumber(limit))"))
            }
            if let limit = request.maxParameters, Double(counts.parameters) > limit {
                return .failure(
                    .init("\(counts.parameters) parameters exceed max_params \(JSONWriter.formatNumber(limit))"))
            }
        }
        if full { return .failure(.init("beyond the \(request.count) requested")) }
        return .success(architecture)
    }
}
