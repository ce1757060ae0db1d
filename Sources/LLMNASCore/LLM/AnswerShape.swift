/// What a request asks its answer to be: how many tokens at most, how many samples, in which format. LLM-PP asks
/// for scores in the shape of the client's config; other work (proposals of architectures) asks for longer free text.
public struct AnswerShape: Sendable, Equatable {
    /// The most completion tokens per sample.
    public var maxTokens: Int
    /// Samples per prompt.
    public var samples: Int
    /// The answer's format.
    public var format: LLMConfig.AnswerFormat

    /// A shape from its parts.
    public init(maxTokens: Int, samples: Int, format: LLMConfig.AnswerFormat) {
        self.maxTokens = maxTokens
        self.samples = samples
        self.format = format
    }

    /// The shape of score requests under `config`: its max_tokens, n and answer format.
    public init(scoresOf config: LLMConfig) {
        self.init(maxTokens: config.maxTokens, samples: config.samples, format: config.answerFormat)
    }

    /// The most completion tokens one request can be charged for.
    var completionTokens: Int { maxTokens * samples }
}
