/// An error of the library: what kind of failure it is (mapped one to one onto the C status codes) and a message
/// for a person, naming the offending input.
public struct LLMNASError: Error, Equatable, CustomStringConvertible {
    /// The kinds of failure. The C ABI maps each to a fixed `llmnas_status` value.
    public enum Kind: Sendable, Equatable, CaseIterable {
        /// A required argument is missing or a value is out of its range.
        case invalidArgument
        /// Text that should be JSON is not.
        case malformedJSON
        /// A search space definition is inconsistent or incomplete.
        case invalidSpace
        /// An architecture does not belong to its search space.
        case invalidArchitecture
        /// A named thing (a built-in space, a file) does not exist.
        case notFound
        /// A caller-owned output buffer is smaller than the result.
        case bufferTooSmall
        /// The operation is not defined for this input (e.g. FLOPs of a space without a cost model).
        case unsupported
        /// No candidate satisfies the space's constraints within the sampling bound.
        case infeasible
        /// Memory for a result could not be allocated.
        case outOfMemory
        /// The LLM server answered with an HTTP error (after the allowed retries for 429 and 5xx).
        case httpError
        /// The LLM server did not answer within the timeout (after the allowed retries).
        case timeout
        /// No connection to the LLM server could be made (after the allowed retries).
        case connectionFailed
        /// The server's response is not a valid completion (malformed or truncated JSON, no choices, too large).
        case badResponse
        /// The model's answer holds no usable score (no number, or one outside the metric's range).
        case badAnswer
        /// The host's progress callback asked to stop; what was done is kept.
        case cancelled
        /// Reading or writing a file failed.
        case io
        /// A file exists but its content is damaged, truncated or of another kind.
        case corruptFile
        /// A batch finished with some items failed; each item's status says which.
        case incomplete
        /// A request was not sent because it could pass the client's spending bounds (`max_cost`, `max_requests`).
        case budgetExceeded
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// A message for a person.
    public let message: String

    /// An error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
