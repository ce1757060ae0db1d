import Glibc

/// How to reach an OpenAI-compatible endpoint and how to ask it, read from the config JSON of `llmnas_llm_create`.
/// The API key itself is never part of the config: it is read from the environment variable `apiKeyVariable` when
/// a request is made, sent in a header, and written nowhere.
public struct LLMConfig: Sendable {
    /// Which endpoint of the API to call.
    public enum API: String, Sendable {
        /// `/chat/completions` with messages.
        case chat
        /// `/completions` with the messages joined into one prompt: for base models.
        case completions
    }

    /// How the server is asked to keep the answer numeric.
    public enum AnswerFormat: Sendable, Equatable {
        /// Free text; the first number in it is the score.
        case text
        /// OpenAI structured output with the JSON schema `{"type": "number"}`.
        case jsonSchema
        /// A grammar string (llama.cpp's GBNF), sent as `grammar`.
        case grammar(String)
    }

    /// How the `n` samples of one architecture combine into its score.
    public enum Aggregate: String, Sendable {
        /// The median of the numeric answers.
        case median
        /// Their mean.
        case mean
        /// The mean of the distribution the endpoint's token log-probabilities give each answer's number
        /// (`DigitExpectation`), averaged over the samples; its spread comes with it.
        case expectation
    }

    /// The API's base URL, e.g. "https://api.openai.com/v1" or "http://127.0.0.1:8080/v1".
    public var baseURL: String
    /// The environment variable that holds the API key; no key, no authorization header.
    public var apiKeyVariable: String
    /// The model name sent with each request.
    public var model: String
    /// Chat or plain completions.
    public var api: API
    /// Azure OpenAI: the api-version query parameter and the deployment; the key goes in an `api-key` header.
    public var azure: (apiVersion: String, deployment: String)?
    /// Sampling temperature.
    public var temperature: Double
    /// The most tokens of one answer.
    public var maxTokens: Int
    /// Samples per architecture (the request's `n`).
    public var samples: Int
    /// How samples combine.
    public var aggregate: Aggregate
    /// The numeric answer constraint, if any.
    public var answerFormat: AnswerFormat
    /// A sampling seed passed to servers that honour one.
    public var seed: Int?
    /// Seconds one HTTP attempt may take.
    public var timeoutSeconds: Double
    /// Extra attempts after a retryable failure (429, 5xx, timeout, refused connection).
    public var retries: Int
    /// The first backoff delay in seconds; it doubles per attempt, with jitter, up to `backoffMaxSeconds`.
    public var backoffSeconds: Double
    /// The longest backoff delay, and the longest `Retry-After` honoured.
    public var backoffMaxSeconds: Double
    /// Requests in flight at once.
    public var maxConcurrency: Int
    /// The persistent response cache, if any.
    public var cacheFile: String?
    /// Dollars per 1,000 prompt tokens.
    public var pricePromptPer1k: Double
    /// Dollars per 1,000 completion tokens.
    public var priceCompletionPer1k: Double
    /// Dollars per 1,000 prompt tokens the endpoint served from its prefix cache; the prompt price by default.
    public var priceCachedPromptPer1k: Double
    /// The largest response body accepted.
    public var maxResponseBytes: Int
    /// Skip TLS peer and host verification. Unsafe: only for test servers with self-signed certificates.
    public var insecureSkipTLSVerify: Bool
    /// Seeds the backoff jitter, so that retry timing is reproducible too.
    public var jitterSeed: UInt64
    /// The most dollars the client may spend over its lifetime; a request whose worst-case cost would pass it is
    /// not sent. Nil: no bound.
    public var maxCost: Double?
    /// The most completion requests (attempts and batch-job items) the client may make; nil: no bound.
    public var maxRequests: Int?
    /// Send batches as Batch API jobs; nil: one HTTP request per prompt.
    public var batch: BatchAPIConfig?
    /// Which redirects are followed: none by default, or those to the endpoint's own host.
    public var redirects: RedirectPolicy

    /// The largest prompt the client sends, in bytes.
    public static let maximumPromptBytes = 1 << 20

    /// Reads a config; unknown keys are errors. `environment` looks up variables (the process environment by
    /// default) for the base URL's default, `OPENAI_BASE_URL`.
    public init(json: JSONValue, environment: (String) -> String? = LLMConfig.processEnvironment) throws(LLMNASError) {
        let allowed: Set<String> = [
            "base_url", "api_key_env", "model", "api", "azure", "temperature", "max_tokens", "n", "aggregate",
            "answer_format", "grammar", "seed", "timeout_seconds", "retries", "backoff_seconds", "backoff_max_seconds",
            "max_concurrency", "cache_file", "price_prompt_per_1k", "price_cached_prompt_per_1k",
            "price_completion_per_1k",
            "max_response_bytes", "insecure_skip_tls_verify", "jitter_seed", "max_cost", "max_requests", "batch",
            "redirects",
        ]
        let r = try JSONObjectReader(json, context: "LLM config", allowed: allowed, kind: .invalidArgument)
        baseURL = try r.string("base_url") ?? environment("OPENAI_BASE_URL") ?? "https://api.openai.com/v1"
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw LLMNASError(
                .invalidArgument, "LLM config: base_url must start with http:// or https://, not '\(baseURL)'")
        }
        apiKeyVariable = try r.string("api_key_env") ?? "OPENAI_API_KEY"
        guard let model = try r.string("model"), !model.isEmpty else {
            throw LLMNASError(.invalidArgument, "LLM config: 'model' is required")
        }
        self.model = model
        guard let api = API(rawValue: try r.string("api") ?? "chat") else {
            throw LLMNASError(.invalidArgument, "LLM config: 'api' must be \"chat\" or \"completions\"")
        }
        self.api = api
        if let azureJSON = r.value("azure") {
            let a = try JSONObjectReader(
                azureJSON, context: "LLM config 'azure'", allowed: ["api_version", "deployment"], kind: .invalidArgument
            )
            guard let version = try a.string("api_version"), let deployment = try a.string("deployment") else {
                throw LLMNASError(.invalidArgument, "LLM config 'azure': 'api_version' and 'deployment' are required")
            }
            azure = (version, deployment)
        }
        temperature = try r.number("temperature", in: 0...2) ?? 0
        maxTokens = try r.int("max_tokens", in: 1...100_000) ?? 16
        samples = try r.int("n", in: 1...128) ?? 1
        guard let aggregate = Aggregate(rawValue: try r.string("aggregate") ?? "median") else {
            throw LLMNASError(
                .invalidArgument, "LLM config: 'aggregate' must be \"median\", \"mean\" or \"expectation\"")
        }
        self.aggregate = aggregate
        switch try r.string("answer_format") ?? "text" {
        case "text": answerFormat = .text
        case "json_schema": answerFormat = .jsonSchema
        case "grammar":
            guard let grammar = try r.string("grammar"), !grammar.isEmpty else {
                throw LLMNASError(.invalidArgument, "LLM config: answer_format \"grammar\" needs a 'grammar' string")
            }
            answerFormat = .grammar(grammar)
        default:
            throw LLMNASError(
                .invalidArgument, "LLM config: 'answer_format' must be \"text\", \"json_schema\" or \"grammar\"")
        }
        seed = try r.int("seed", in: Int(Int32.min)...Int(Int32.max))
        timeoutSeconds = try r.number("timeout_seconds", in: 0.001...86_400) ?? 60
        retries = try r.int("retries", in: 0...100) ?? 4
        backoffSeconds = try r.number("backoff_seconds", in: 0...3600) ?? 0.5
        backoffMaxSeconds = try r.number("backoff_max_seconds", in: 0...3600) ?? 30
        maxConcurrency = try r.int("max_concurrency", in: 1...1024) ?? 8
        cacheFile = try r.string("cache_file")
        pricePromptPer1k = try r.number("price_prompt_per_1k", in: 0...1_000_000) ?? 0
        priceCompletionPer1k = try r.number("price_completion_per_1k", in: 0...1_000_000) ?? 0
        priceCachedPromptPer1k = try r.number("price_cached_prompt_per_1k", in: 0...1_000_000) ?? pricePromptPer1k
        maxResponseBytes = try r.int("max_response_bytes", in: 1024...(1 << 30)) ?? (4 << 20)
        insecureSkipTLSVerify = try r.bool("insecure_skip_tls_verify") ?? false
        jitterSeed = UInt64(try r.int("jitter_seed", in: 0...Int.max) ?? 0)
        maxCost = try r.number("max_cost", in: 0...1e12)
        maxRequests = try r.int("max_requests", in: 0...Int(Int32.max))
        let redirectText = try r.string("redirects") ?? RedirectPolicy.never.rawValue
        guard let redirects = RedirectPolicy(rawValue: redirectText) else {
            throw LLMNASError(
                .invalidArgument, "LLM config: 'redirects' must be \"never\" or \"same_host\", not '\(redirectText)'")
        }
        self.redirects = redirects
        batch = try r.value("batch").map { (json: JSONValue) throws(LLMNASError) in try BatchAPIConfig(json: json) }
        if batch != nil {
            guard cacheFile != nil else {
                throw LLMNASError(
                    .invalidArgument,
                    "LLM config: 'batch' needs a 'cache_file', beside which the ids of jobs in progress are kept")
            }
        }
    }

    /// Looks a variable up in the process environment.
    public static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// What a response costs at the configured prices: uncached prompt, cached prompt and completion tokens, times
    /// the batch price factor for an answer of a batch job.
    func cost(of response: CompletionResponse, batch: Bool) -> Double {
        let regular =
            Double(response.promptTokens - response.cachedPromptTokens) / 1000 * pricePromptPer1k
            + Double(response.cachedPromptTokens) / 1000 * priceCachedPromptPer1k
            + Double(response.completionTokens) / 1000 * priceCompletionPer1k
        return batch ? regular * (self.batch?.priceFactor ?? 1) : regular
    }

    /// The most a request of `promptTokens` prompt tokens can cost: every prompt token at the full prompt price and
    /// `completionTokens` (every sample at its max_tokens).
    func worstCost(promptTokens: Double, completionTokens: Int, batch: Bool) -> Double {
        let regular = promptTokens / 1000 * pricePromptPer1k + Double(completionTokens) / 1000 * priceCompletionPer1k
        return batch ? regular * (self.batch?.priceFactor ?? 1) : regular
    }

    /// The URL path of the completions endpoint, as a batch job's lines name it: "/v1/chat/completions" (the base
    /// URL's path and the endpoint), "/chat/completions" on Azure.
    var endpointPath: String {
        let endpoint = api == .chat ? "/chat/completions" : "/completions"
        guard azure == nil else { return endpoint }
        let afterScheme = baseURL.firstRange(of: "://").map { baseURL[$0.upperBound...] } ?? baseURL[...]
        return (afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? "") + endpoint
    }

    /// The URL of another resource of the API, e.g. "files" or "batches/ID": under the base URL, or Azure's
    /// "/openai/" with the api-version.
    func resourceURL(_ path: String) -> String {
        guard let azure else { return "\(baseURL)/\(path)" }
        return "\(baseURL)/openai/\(path)?api-version=\(azure.apiVersion)"
    }

    /// The URL requests go to.
    public var endpointURL: String {
        let path = api == .chat ? "chat/completions" : "completions"
        if let azure {
            return "\(baseURL)/openai/deployments/\(azure.deployment)/\(path)?api-version=\(azure.apiVersion)"
        }
        return "\(baseURL)/\(path)"
    }
}
