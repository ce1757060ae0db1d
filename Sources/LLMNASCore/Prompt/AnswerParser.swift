/// Reads a score out of a model's answer: the first number in the text ("26.1", " 26.10", "BLEU: 26.1 points",
/// "about -3e-1"), which must lie in the metric's range.
public enum AnswerParser {
    /// The first decimal number in `text`, or nil.
    public static func firstNumber(in text: String) -> Double? {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let startsNumber =
                isDigit(bytes[i]) || (bytes[i] == UInt8(ascii: ".") && i + 1 < bytes.count && isDigit(bytes[i + 1]))
            guard startsNumber else {
                i += 1
                continue
            }
            var start = i
            if start > 0, bytes[start - 1] == UInt8(ascii: "-") || bytes[start - 1] == UInt8(ascii: "+"),
                start == 1 || !isAlphanumeric(bytes[start - 2])
            {
                start -= 1  // a sign, unless it joins a word ("BLEU-4")
            }
            var end = i
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), isDigit(bytes[end + 1]) {
                end += 1
                while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            }
            if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E") {
                var e = end + 1
                if e < bytes.count, bytes[e] == UInt8(ascii: "-") || bytes[e] == UInt8(ascii: "+") { e += 1 }
                if e < bytes.count, isDigit(bytes[e]) {
                    while e < bytes.count, isDigit(bytes[e]) { e += 1 }
                    end = e
                }
            }
            return Double(String(decoding: bytes[start..<end], as: UTF8.self))
        }
        return nil
    }

    /// The score in `text`, checked against `metric`'s range.
    public static func score(in text: String, metric: Metric) throws(LLMNASError) -> Double {
        guard let value = firstNumber(in: text), value.isFinite else {
            throw LLMNASError(.badAnswer, "the answer holds no number: \(CompletionResponse.snippet(text))")
        }
        guard value >= metric.minimum, value <= metric.maximum else {
            throw LLMNASError(
                .badAnswer,
                "the answer's \(metric.name) \(JSONWriter.formatNumber(value)) lies outside "
                    + "[\(JSONWriter.formatNumber(metric.minimum)), \(JSONWriter.formatNumber(metric.maximum))]"
            )
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }
}
