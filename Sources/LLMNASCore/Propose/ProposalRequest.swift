/// What `LLMProposer` is asked for, read from JSON (docs/formats.md, "proposal request"): how many architectures,
/// within which GFLOPs and parameter budgets (spaces with a cost model only), in how many rounds at most, and how
/// long each answer may be.
public struct ProposalRequest: Sendable, Equatable {
    /// Architectures wanted.
    public var count = 10
    /// The most GFLOPs of a proposal, if bounded.
    public var maxGFLOPs: Double?
    /// The most parameters of a proposal, if bounded.
    public var maxParameters: Double?
    /// Requests at most: each round asks for the proposals still missing, showing those accepted so far; a round that
    /// accepts nothing ends them.
    public var rounds = 3
    /// Whether the answer is asked for in the JSON schema of `ProposalSchema` (structured outputs) instead of as text.
    public var structured = false
    /// The most completion tokens of an answer; nil: for each proposal asked, half the bytes of the longest
    /// demonstration's JSON plus 16 (at least 32; tokens rarely hold fewer than 2 bytes of JSON), plus 64.
    public var maxTokens: Int?

    /// The largest count a request may ask for.
    public static let maximumCount = 1000

    /// Ten proposals, no budget, three rounds.
    public init() {}

    /// Reads `{"count", "max_gflops", "max_params", "rounds", "max_tokens", "answer_format"}` for a space; budgets need
    /// its cost model.
    public init(json: JSONValue?, space: SearchSpace) throws(LLMNASError) {
        guard let json else { return }
        let r = try JSONObjectReader(
            json, context: "proposal request",
            allowed: ["count", "max_gflops", "max_params", "rounds", "max_tokens", "answer_format"],
            kind: .invalidArgument)
        count = try r.int("count", in: 1...ProposalRequest.maximumCount) ?? count
        maxGFLOPs = try r.number("max_gflops", in: 1e-9...1e12)
        maxParameters = try r.number("max_params", in: 1...1e15)
        rounds = try r.int("rounds", in: 1...10) ?? rounds
        maxTokens = try r.int("max_tokens", in: 1...100_000)
        switch try r.string("answer_format") ?? "text" {
        case "text": structured = false
        case "json_schema": structured = true
        default:
            throw LLMNASError(.invalidArgument, "proposal request: 'answer_format' must be \"text\" or \"json_schema\"")
        }
        if (maxGFLOPs != nil || maxParameters != nil) && space.costModel == nil {
            throw LLMNASError(
                .invalidArgument,
                "proposal request: space '\(space.name)' has no cost model, so 'max_gflops' and 'max_params' do not "
                    + "apply"
            )
        }
    }

    /// The answer length for a round asking for `missing` proposals, each written like one of `longest` bytes.
    func tokens(asking missing: Int, longest: Int) -> Int {
        maxTokens ?? min(100_000, max(32, longest / 2 + 16) * missing + 64)
    }
}
