/// An answer's score as a distribution, from one request: the endpoint's probabilities of the alternatives to each
/// token of the answer's number (OpenAI's `top_logprobs`, llama-server's). Each numeric token contributes its
/// alternatives of the same shape (as many digits) at its place value, weighted by their probabilities renormalised
/// among them; positions are taken as independent, so the mean is the sum of the positions' means and the variance
/// the sum of their variances. A token holding the decimal point counts as written.
enum DigitExpectation {
    /// The mean, standard deviation and range of the score the answer `choice` stands for, within `metric`'s range.
    static func estimate(_ choice: CompletionChoice, metric: Metric) throws(LLMNASError) -> ScoreEstimate {
        guard let tokens = choice.tokens, !tokens.isEmpty else {
            throw LLMNASError(
                .badResponse, "the endpoint returned no log-probabilities, which \"aggregate\": \"expectation\" reads")
        }
        let written = try AnswerParser.score(in: choice.text, metric: metric)
        let exact = ScoreEstimate(value: written, standardDeviation: 0, low: written, high: written)
        guard
            let start = tokens.firstIndex(where: {
                isNumberPart(trimmed($0.token)) && $0.token.contains(where: \.isASCIIDigit)
            })
        else {
            return exact
        }
        var run = [start]
        while let last = run.last, last + 1 < tokens.count, isNumberPart(tokens[last + 1].token) {
            run.append(last + 1)
        }
        let pieces = run.enumerated().map {
            $0.offset == 0 ? trimmed(tokens[$0.element].token) : tokens[$0.element].token
        }
        let literal = pieces.joined()
        // A number split oddly across tokens (or other than the one the answer parser reads) counts as written.
        guard Double(literal) == written else { return exact }
        let point = Array(literal).firstIndex(of: ".") ?? literal.count
        var mean = 0.0
        var variance = 0.0
        var low = 0.0
        var high = 0.0
        var offset = 0
        for (piece, index) in zip(pieces, run) {
            let end = offset + piece.count
            defer { offset = end }
            let lastExponent = end - 1 < point ? point - end : point - end + 1
            let place = power(10, lastExponent)
            let sameShape = tokens[index].alternatives.compactMap { alternative -> (value: Double, p: Double)? in
                let text = index == start ? trimmed(alternative.token) : alternative.token
                guard !piece.contains("."), text.count == piece.count, text.allSatisfy(\.isASCIIDigit),
                    let value = Double(text)
                else { return nil }
                return (value * place, alternative.probability)
            }
            let total = sameShape.reduce(0) { $0 + $1.p }
            guard total > 0 else {
                let value = Double(piece.filter(\.isASCIIDigit)).map { $0 * place } ?? 0
                (mean, low, high) = (mean + value, low + value, high + value)
                continue
            }
            let m = sameShape.reduce(0) { $0 + $1.p / total * $1.value }
            variance += sameShape.reduce(0) { $0 + $1.p / total * ($1.value - m) * ($1.value - m) }
            mean += m
            low += sameShape.map(\.value).min()!
            high += sameShape.map(\.value).max()!
        }
        let clamp = { (x: Double) in min(max(x, metric.minimum), metric.maximum) }
        return ScoreEstimate(
            value: clamp(mean), standardDeviation: variance.squareRoot(), low: clamp(low), high: clamp(high))
    }

    /// A token without its leading spaces.
    private static func trimmed(_ token: String) -> String {
        String(token.drop { $0 == " " || $0 == "\t" || $0 == "\n" })
    }

    /// Digits and decimal points only, at least one of them.
    private static func isNumberPart(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCIIDigit || $0 == "." }
    }
}

extension Character {
    /// "0" to "9".
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
