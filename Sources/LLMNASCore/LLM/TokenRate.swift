/// Prompt tokens per byte of request body, learned from the answers a client received: what its estimates and
/// budget reservations assume before a request is sent.
struct TokenRate {
    /// The rule before anything was answered: 4 bytes of request body per token, the usual figure for English text
    /// with OpenAI's tokenizers (rough: numbers and markup take more tokens).
    static let ruleTokensPerByte = 0.25
    /// What a reservation assumes before anything was answered: a token per byte, the most a byte-level tokenizer
    /// produces for the text of a request.
    static let boundTokensPerByte = 1.0

    private var bytes = 0
    private var tokens = 0
    private var highest: Double?

    /// Learns from one answered request.
    mutating func record(bodyBytes: Int, promptTokens: Int) {
        guard bodyBytes > 0, promptTokens > 0 else { return }
        bytes += bodyBytes
        tokens += promptTokens
        let rate = Double(promptTokens) / Double(bodyBytes)
        highest = max(highest ?? rate, rate)
    }

    /// Tokens per byte over every answered request, if there was one.
    var observed: Double? { bytes > 0 ? Double(tokens) / Double(bytes) : nil }

    /// The rate a budget reservation uses: the highest of any answered request, else the bound.
    var reservation: Double { highest ?? TokenRate.boundTokensPerByte }
}
