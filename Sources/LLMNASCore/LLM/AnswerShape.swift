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

    /// A shape from its parts.
    public init(maxTokens: Int, samples: Int, format: Format) {
        self.maxTokens = maxTokens
        self.samples = samples
        self.format = format
    }

    /// The shape of score requests under `config`: its max_tokens, n and answer format.
    public init(scoresOf config: LLMConfig) {
        let format: Format = switch config.answerFormat {
        case .text: .text
        case .jsonSchema: .schema(name: "score", .object([("type", .string("number"))]))
        case let .grammar(grammar): .grammar(grammar)
        }
        self.init(maxTokens: config.maxTokens, samples: config.samples, format: format)
    }

    /// The most completion tokens one request can be charged for.
    var completionTokens: Int { maxTokens * samples }
}
