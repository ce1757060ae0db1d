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
    /// Requests at most: each round asks for the proposals still missing, showing those accepted so far; a round that accepts nothing ends them.
    public var rounds = 3
    /// The most completion tokens of an answer; nil: 96 per proposal asked plus 64.
    public var maxTokens: Int?

    /// The largest count a request may ask for.
    public static let maximumCount = 1000

    /// Ten proposals, no budget, three rounds.
    public init() {}

    /// Reads `{"count", "max_gflops", "max_params", "rounds", "max_tokens"}` for a space; budgets need its cost model.
    public init(json: JSONValue?, space: SearchSpace) throws(LLMNASError) {
        guard let json else { return }
        let r = try JSONObjectReader(json, context: "proposal request", allowed: ["count", "max_gflops", "max_params", "rounds", "max_tokens"],
                                     kind: .invalidArgument)
        count = try r.int("count", in: 1...ProposalRequest.maximumCount) ?? count
        maxGFLOPs = try r.number("max_gflops", in: 1e-9...1e12)
        maxParameters = try r.number("max_params", in: 1...1e15)
        rounds = try r.int("rounds", in: 1...10) ?? rounds
        maxTokens = try r.int("max_tokens", in: 1...100_000)
        if (maxGFLOPs != nil || maxParameters != nil) && space.costModel == nil {
            throw LLMNASError(.invalidArgument, "proposal request: space '\(space.name)' has no cost model, so 'max_gflops' and 'max_params' do not apply")
        }
    }

    /// The answer length for a round asking for `missing` proposals.
    func tokens(asking missing: Int) -> Int { maxTokens ?? min(100_000, 96 * missing + 64) }
}
