/// Cuts a model's answer into the JSON objects it holds: each `{` outside an object starts one, which ends at its
/// matching `}` (braces inside strings do not count). Text between objects (code fences, numbering, prose) is not a
/// proposal; an answer without any object, and an object cut off by the end of the answer, are reported as such. A
/// structured answer's wrapper (`{"architectures": [...]}`, see `ProposalSchema`) is looked through, so its complete
/// objects count even when the answer was cut off.
enum ProposalParser {
    /// One piece of an answer: an object's text, or text that should have been one.
    struct Fragment: Equatable {
        /// The text.
        let text: String
        /// Why it cannot be a proposal, when that is known before parsing.
        let problem: String?
    }

    /// The fragments of `answer`, in order.
    static func fragments(of answer: String) -> [Fragment] {
        var bytes = Array(answer.utf8)
        if let open = bytes.firstIndex(of: UInt8(ascii: "[")),
            String(decoding: bytes[..<open].filter { !" \n\r\t".utf8.contains($0) }, as: UTF8.self)
                == "{\"architectures\":"
        {
            bytes = Array(bytes[(open + 1)...])
        }
        var fragments: [Fragment] = []
        var start: Int?
        var depth = 0
        var inString = false
        var escaped = false
        for (i, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where start != nil: inString = true
            case UInt8(ascii: "{"):
                if start == nil { start = i }
                depth += 1
            case UInt8(ascii: "}") where start != nil:
                depth -= 1
                if depth == 0 {
                    fragments.append(Fragment(text: String(decoding: bytes[start!...i], as: UTF8.self), problem: nil))
                    start = nil
                }
            default: break
            }
        }
        if let start {
            fragments.append(
                Fragment(
                    text: String(decoding: bytes[start...], as: UTF8.self),
                    problem: "the object is cut off by the end of the answer"))
        }
        if fragments.isEmpty {
            fragments.append(Fragment(text: answer, problem: "the answer holds no JSON object"))
        }
        return fragments
    }
}
