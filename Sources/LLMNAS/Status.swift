import LLMNASCore

/// The values of `llmnas_status` in include/llmnas.h. Published values are never renumbered or reused.
enum Status: Int32 {
    case ok = 0
    case invalidArgument = -1
    case malformedJSON = -2
    case invalidSpace = -3
    case invalidArchitecture = -4
    case notFound = -5
    case bufferTooSmall = -6
    case unsupported = -7
    case infeasible = -8
    case outOfMemory = -9
    case httpError = -10
    case timeout = -11
    case connectionFailed = -12
    case badResponse = -13
    case badAnswer = -14
    case cancelled = -15
    case io = -16
    case corruptFile = -17
    case incomplete = -18

    /// The status that reports an error of `kind`.
    init(_ kind: LLMNASError.Kind) {
        switch kind {
        case .invalidArgument: self = .invalidArgument
        case .malformedJSON: self = .malformedJSON
        case .invalidSpace: self = .invalidSpace
        case .invalidArchitecture: self = .invalidArchitecture
        case .notFound: self = .notFound
        case .bufferTooSmall: self = .bufferTooSmall
        case .unsupported: self = .unsupported
        case .infeasible: self = .infeasible
        case .outOfMemory: self = .outOfMemory
        case .httpError: self = .httpError
        case .timeout: self = .timeout
        case .connectionFailed: self = .connectionFailed
        case .badResponse: self = .badResponse
        case .badAnswer: self = .badAnswer
        case .cancelled: self = .cancelled
        case .io: self = .io
        case .corruptFile: self = .corruptFile
        case .incomplete: self = .incomplete
        }
    }

    /// The status's name and meaning, as `llmnas_status_string` returns it.
    var text: StaticString {
        switch self {
        case .ok: return "LLMNAS_OK: success"
        case .invalidArgument: return "LLMNAS_INVALID_ARGUMENT: a required argument is NULL or a value is out of range"
        case .malformedJSON: return "LLMNAS_MALFORMED_JSON: the text is not valid JSON"
        case .invalidSpace: return "LLMNAS_INVALID_SPACE: the search space definition is invalid"
        case .invalidArchitecture: return "LLMNAS_INVALID_ARCH: the architecture does not belong to the search space"
        case .notFound: return "LLMNAS_NOT_FOUND: no such named item"
        case .bufferTooSmall: return "LLMNAS_BUFFER_TOO_SMALL: the output buffer is too small"
        case .unsupported: return "LLMNAS_UNSUPPORTED: the operation is not defined for this input"
        case .infeasible: return "LLMNAS_INFEASIBLE: no architecture satisfies the constraints"
        case .outOfMemory: return "LLMNAS_OUT_OF_MEMORY: memory could not be allocated"
        case .httpError: return "LLMNAS_HTTP_ERROR: the LLM server answered with an HTTP error"
        case .timeout: return "LLMNAS_TIMEOUT: the LLM server did not answer in time"
        case .connectionFailed: return "LLMNAS_CONNECTION_FAILED: no connection to the LLM server"
        case .badResponse: return "LLMNAS_BAD_RESPONSE: the server's response is not a valid completion"
        case .badAnswer: return "LLMNAS_BAD_ANSWER: the model's answer holds no valid score"
        case .cancelled: return "LLMNAS_CANCELLED: the progress callback cancelled the operation"
        case .io: return "LLMNAS_IO_ERROR: a file could not be read or written"
        case .corruptFile: return "LLMNAS_CORRUPT_FILE: a file is damaged, truncated or of another kind"
        case .incomplete: return "LLMNAS_INCOMPLETE: some items of the batch failed; see their statuses"
        }
    }
}
