/// What a request asks its answer to be: how many tokens at most, how many samples, in which format. LLM-PP asks
/// for scores in the shape of the client's config; other work (proposals of architectures) asks for longer free text.
public struct AnswerShape: Sendable, Equatable {
    /// How the server is asked to shape the text.
    public enum Format: Sendable, Equatable {
        /// Free text.
        case text
        /// OpenAI structured output: `response_format` with this JSON schema, under this name.
        case schema(name: String, JSONValue)
        /// A grammar string (llama.cpp's GBNF), sent as `grammar`.
        case grammar(String)
    }

    /// The most completion tokens per sample.
    public var maxTokens: Int
    /// Samples per prompt.
    public var samples: Int
    /// The answer's format.
    public var format: Format
    /// Alternatives asked for per answer token with their log-probabilities; 0 asks for none.
    public var topLogprobs = 0

    /// The alternatives asked for per token when the score is an expectation (OpenAI's most is 20).
    public static let expectationAlternatives = 10

    /// A shape from its parts.
    public init(maxTokens: Int, samples: Int, format: Format, topLogprobs: Int = 0) {
        self.maxTokens = maxTokens
        self.samples = samples
        self.format = format
        self.topLogprobs = topLogprobs
    }

    /// The shape of score requests under `config`: its max_tokens, n and answer format.
    public init(scoresOf config: LLMConfig) {
        let format: Format =
            switch config.answerFormat {
            case .text: .text
            case .jsonSchema: .schema(name: "score", .object([("type", .string("number"))]))
            case .grammar(let grammar): .grammar(grammar)
            }
        self.init(
            maxTokens: config.maxTokens, samples: config.samples, format: format,
            topLogprobs: config.aggregate == .expectation ? AnswerShape.expectationAlternatives : 0)
    }

    /// The most completion tokens one request can be charged for.
    var completionTokens: Int { maxTokens * samples }
}
