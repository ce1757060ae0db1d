import CLLMNAS
import LLMNASCore

extension LLMNASError.Kind {
    /// The header's status for an error of this kind: the one place Swift's error kinds meet `llmnas_status`.
    var status: llmnas_status {
        switch self {
        case .invalidArgument: LLMNAS_INVALID_ARGUMENT
        case .malformedJSON: LLMNAS_MALFORMED_JSON
        case .invalidSpace: LLMNAS_INVALID_SPACE
        case .invalidArchitecture: LLMNAS_INVALID_ARCH
        case .notFound: LLMNAS_NOT_FOUND
        case .bufferTooSmall: LLMNAS_BUFFER_TOO_SMALL
        case .unsupported: LLMNAS_UNSUPPORTED
        case .infeasible: LLMNAS_INFEASIBLE
        case .outOfMemory: LLMNAS_OUT_OF_MEMORY
        case .httpError: LLMNAS_HTTP_ERROR
        case .timeout: LLMNAS_TIMEOUT
        case .connectionFailed: LLMNAS_CONNECTION_FAILED
        case .badResponse: LLMNAS_BAD_RESPONSE
        case .badAnswer: LLMNAS_BAD_ANSWER
        case .cancelled: LLMNAS_CANCELLED
        case .io: LLMNAS_IO_ERROR
        case .corruptFile: LLMNAS_CORRUPT_FILE
        case .incomplete: LLMNAS_INCOMPLETE
        case .budgetExceeded: LLMNAS_BUDGET_EXCEEDED
        }
    }

    /// The header's name of that status without its prefix, as JSON documents spell it: `"HTTP_ERROR"`.
    var statusName: String {
        let text = String(cString: llmnas_status_string(status))
        return String(text.prefix { $0 != ":" }.dropFirst("LLMNAS_".count))
    }
}
