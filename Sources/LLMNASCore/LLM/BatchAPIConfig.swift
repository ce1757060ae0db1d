/// How a client uses an OpenAI-compatible Batch API: every batch of requests it cannot answer from its cache goes
/// out as one batch job (a JSON Lines file uploaded to `/files`, a job created at `/batches`), which is polled until
/// it ends; the answers are matched to the requests by `custom_id`. The `batch` object of the LLM client config.
public struct BatchAPIConfig: Sendable, Equatable {
    /// The completion window asked for ("24h" at OpenAI).
    public var completionWindow: String
    /// Seconds before the first poll; the wait doubles after each poll up to `pollMaxSeconds`.
    public var pollSeconds: Double
    /// The longest wait between two polls.
    public var pollMaxSeconds: Double
    /// How long one call waits for its job; past it, the items fail with `timeout` and the job is kept, so the
    /// next call with the same cache file waits for the same job.
    public var maxWaitSeconds: Double
    /// The fraction of the regular prices batch jobs pay (0.5: half price).
    public var priceFactor: Double

    /// Reads the `batch` object; unknown keys are errors.
    public init(json: JSONValue) throws(LLMNASError) {
        let r = try JSONObjectReader(
            json, context: "LLM config 'batch'",
            allowed: [
                "completion_window", "poll_seconds", "poll_max_seconds", "max_wait_seconds", "price_factor",
            ], kind: .invalidArgument)
        completionWindow = try r.string("completion_window") ?? "24h"
        pollSeconds = try r.number("poll_seconds", in: 0.001...86_400) ?? 10
        pollMaxSeconds = try r.number("poll_max_seconds", in: 0.001...86_400) ?? 300
        maxWaitSeconds = try r.number("max_wait_seconds", in: 0...(30 * 86_400)) ?? 86_400
        priceFactor = try r.number("price_factor", in: 0...1) ?? 0.5
        guard pollMaxSeconds >= pollSeconds else {
            throw LLMNASError(.invalidArgument, "LLM config 'batch': poll_max_seconds must be at least poll_seconds")
        }
    }
}
