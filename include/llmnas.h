/*
 * llmnas.h: the C interface of libllmnas, LLM-based neural architecture search as an embeddable library.
 *
 * Conventions, for every function below:
 * - Status: a fallible function returns an llmnas_status; LLMNAS_OK (0) is success, every error is negative.
 *   On failure llmnas_last_error() gives a message naming the offending argument or value, and out-parameters are
 *   left untouched.
 * - Strings in: UTF-8, NUL-terminated, borrowed for the duration of the call.
 * - Strings out (char **out_json and the like): allocated by the library; free them with llmnas_string_free().
 * - Arrays: a pointer and a size_t count; numeric outputs go to caller-owned buffers. A buffer that is too small
 *   gives LLMNAS_BUFFER_TOO_SMALL, with the needed length written to the length out-parameter first.
 * - Handles are opaque. Constructors write *out only on success; destructors accept NULL.
 * - Threads: each handle type states what may be shared. Functions without a handle may be called from any thread.
 * - Bounds (each refused with a status and a message, never exceeded): at most LLMNAS_MAX_BATCH architectures per
 *   call; JSON nesting at most 128 levels; lists and layer counts at most 64 values; at most 10,000 demonstrations;
 *   a prompt of at most 1 MiB (LLMNAS_MAX_PROMPT_BYTES; the item fails with LLMNAS_INVALID_ARGUMENT, nothing is
 *   sent); a response of at most "max_response_bytes" (4 MiB by default; LLMNAS_BAD_RESPONSE); files read whole of
 *   at most 1 GiB (model files, checkpoints, caches); searches of at most LLMNAS_MAX_POPULATION and
 *   LLMNAS_MAX_SEARCH_ITERATIONS. A space is held as its description, never enumerated, so the product of its
 *   choices may be astronomically large: sampling, features and search work in memory linear in its genes.
 * - Secrets: an API key is read from the environment variable the client config names and sent only as a header;
 *   it is written to no file (caches key on the endpoint and body) and redacted from every error message.
 * - JSON: structured inputs and outputs are JSON documents, each specified once, key by key, in docs/formats.md;
 *   the comments below name the document ("docs/formats.md, "search config""). Unknown keys are errors.
 * - Nothing traps or unwinds across this interface: bad input is a status, never a crash.
 */
#ifndef LLMNAS_H
#define LLMNAS_H

#include <stddef.h>
#include <stdint.h>

/** Marks the functions libllmnas.so exports. */
#define LLMNAS_API __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------------------- */
/* Versions                                                                                                       */
/* ------------------------------------------------------------------------------------------------------------- */

/** The version of this header, the only place it is stated: the Makefile, the library's version string and the
 *  Python package's version are derived from it. llmnas_version_string() gives the binary's. */
#define LLMNAS_VERSION_MAJOR 0
#define LLMNAS_VERSION_MINOR 6
#define LLMNAS_VERSION_PATCH 0

/** The ABI generation this header describes; bindings compare it with llmnas_abi_version(). The library's SONAME is
 *  libllmnas.so.<LLMNAS_ABI_VERSION>; docs/ABI.md says which change raises it. */
#define LLMNAS_ABI_VERSION 2

/** The most architectures one call accepts or returns (llmnas_space_sample, llmnas_arch_features_batch). */
#define LLMNAS_MAX_BATCH 1000000

/** The largest request body (prompt and settings) the LLM client sends. */
#define LLMNAS_MAX_PROMPT_BYTES 1048576

/** The library's version as "MAJOR.MINOR.PATCH". Static storage: do not free. Thread-safe. */
LLMNAS_API const char *llmnas_version_string(void);

/** The ABI generation the binary implements; equal to LLMNAS_ABI_VERSION when header and binary agree. */
LLMNAS_API int llmnas_abi_version(void);

/* ------------------------------------------------------------------------------------------------------------- */
/* Status codes and errors                                                                                        */
/* ------------------------------------------------------------------------------------------------------------- */

/** Every status code: X(name, value, meaning), the one list of the codes, their values and their meanings.
 *  LLMNAS_OK (0) is success, every error is negative. Values are fixed forever: a new code gets a new number at the
 *  end, the next lower number, so the values run down from 0 without gaps; none is renumbered or reused.
 *  llmnas_status_string() gives "NAME: meaning". */
#define LLMNAS_STATUS_LIST(X) \
    X(LLMNAS_OK, 0, "success") \
    X(LLMNAS_INVALID_ARGUMENT, -1, "a required pointer is NULL, text is not UTF-8, or a value is out of range") \
    X(LLMNAS_MALFORMED_JSON, -2, "text that should be JSON is not; the message gives the byte offset") \
    X(LLMNAS_INVALID_SPACE, -3, "a search space definition is inconsistent or incomplete") \
    X(LLMNAS_INVALID_ARCH, -4, "an architecture is not in the space; the message names the hyperparameter") \
    X(LLMNAS_NOT_FOUND, -5, "no item has that name") \
    X(LLMNAS_BUFFER_TOO_SMALL, -6, "a caller-owned buffer is too small; the length out-parameter says how large") \
    X(LLMNAS_UNSUPPORTED, -7, "the operation is not defined for this input (e.g. FLOPs without a cost model)") \
    X(LLMNAS_INFEASIBLE, -8, "no architecture satisfied the constraints within the sampling bound") \
    X(LLMNAS_OUT_OF_MEMORY, -9, "memory sized by the input (a result, model, file, response) could not be allocated") \
    X(LLMNAS_HTTP_ERROR, -10, "the LLM server answered with an HTTP error (429/5xx after the retries)") \
    X(LLMNAS_TIMEOUT, -11, "the LLM server did not answer within the timeout, after the retries") \
    X(LLMNAS_CONNECTION_FAILED, -12, "no connection to the LLM server could be made, after the retries") \
    X(LLMNAS_BAD_RESPONSE, -13, "the response is not a valid completion (malformed JSON, no choices, too large)") \
    X(LLMNAS_BAD_ANSWER, -14, "the model's answer holds no number in the metric's range") \
    X(LLMNAS_CANCELLED, -15, "a callback asked to stop; what was done is kept") \
    X(LLMNAS_IO_ERROR, -16, "a file could not be read or written; the message gives the reason") \
    X(LLMNAS_CORRUPT_FILE, -17, "a file is damaged, truncated or of another kind") \
    X(LLMNAS_INCOMPLETE, -18, "a batch finished with some items failed; their own statuses say why") \
    X(LLMNAS_BUDGET_EXCEEDED, -19, "a request was not sent: it could pass the client's max_cost or max_requests")

/** The result of every fallible call: one enumerator per entry of LLMNAS_STATUS_LIST. */
typedef enum llmnas_status {
#define LLMNAS_STATUS_ENUMERATOR_(name, value, meaning) name = value,
    LLMNAS_STATUS_LIST(LLMNAS_STATUS_ENUMERATOR_)
#undef LLMNAS_STATUS_ENUMERATOR_
} llmnas_status;

/** The name and meaning of a status, e.g. "LLMNAS_INVALID_ARCH: ...". Static storage, never NULL; an unknown value
 *  gives a text saying so. Thread-safe. */
LLMNAS_API const char *llmnas_status_string(llmnas_status status);

/** The message of the calling thread's last failed call, or "" if its last call succeeded. Never NULL. Owned by
 *  the library and valid until the thread's next llmnas_* call; copy it to keep it. */
LLMNAS_API const char *llmnas_last_error(void);

/** Frees a string the library returned through an out-parameter. NULL is ignored. */
LLMNAS_API void llmnas_string_free(char *string);

/* ------------------------------------------------------------------------------------------------------------- */
/* Progress                                                                                                       */
/* ------------------------------------------------------------------------------------------------------------- */

/** What a long operation reports while it works. Owned by the library and valid during the callback only; read it,
 *  never allocate one (fields may be appended in later versions). */
typedef struct llmnas_progress {
    const char *stage;  /**< What is running, e.g. "llmpp", "calibration", "LLM-PP wmt14ende seed 123 (1/9)". */
    size_t done;        /**< Items finished in this stage. */
    size_t total;       /**< Items in this stage. */
    double value;       /**< A stage-specific figure (a loss, a best score), NaN when the stage has none. */
} llmnas_progress;

/** A progress callback: called on the thread that made the call. Return 0 to go on, nonzero to cancel; the
 *  operation then returns LLMNAS_CANCELLED and keeps what was done. */
typedef int (*llmnas_progress_fn)(const llmnas_progress *progress, void *user_data);

/* ------------------------------------------------------------------------------------------------------------- */
/* Search spaces                                                                                                  */
/* ------------------------------------------------------------------------------------------------------------- */

/** A search space: hyperparameters with their choices and meanings, constraints between them, the metric that
 *  judges architectures and, for Transformer spaces, a cost model. Immutable: one handle may be used by any number
 *  of threads at once. */
typedef struct llmnas_space llmnas_space;

/** Writes to *out_json a JSON array of the built-in spaces' names: HAT's Transformer spaces ("hat-wmt14ende",
 *  "hat-wmt14enfr", "hat-wmt19ende", "hat-iwslt14deen") and "nas-bench-graph".
 *  Errors: LLMNAS_INVALID_ARGUMENT (out_json NULL). */
LLMNAS_API llmnas_status llmnas_space_builtin_names(char **out_json);

/** Creates a handle on the built-in space `name` (see llmnas_space_builtin_names). Free it with llmnas_space_free.
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument), LLMNAS_NOT_FOUND (unknown name; the message lists the names). */
LLMNAS_API llmnas_status llmnas_space_builtin(const char *name, llmnas_space **out_space);

/** Creates a handle on the space defined by `json` (docs/formats.md, "search space"): hyperparameters with their
 *  meanings and choices (scalars, per-layer values counted by another hyperparameter, fixed-length lists), the
 *  metric, optional constraints between values and an optional cost model. llmnas_space_to_json of a built-in
 *  space is a complete example. Errors: LLMNAS_INVALID_ARGUMENT, LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_SPACE (the
 *  message names the key). */
LLMNAS_API llmnas_status llmnas_space_from_json(const char *json, llmnas_space **out_space);

/** Writes the space's definition to *out_json, in the format llmnas_space_from_json reads (docs/formats.md,
 *  "search space"). Errors: LLMNAS_INVALID_ARGUMENT. */
LLMNAS_API llmnas_status llmnas_space_to_json(const llmnas_space *space, char **out_json);

/** Releases a space handle. NULL is ignored. */
LLMNAS_API void llmnas_space_free(llmnas_space *space);

/** Writes to *out_count how many features each architecture of the space has (HAT's feature set for HAT's
 *  spaces). Errors: LLMNAS_INVALID_ARGUMENT. */
LLMNAS_API llmnas_status llmnas_space_feature_count(const llmnas_space *space, size_t *out_count);

/** Writes to *out_json a JSON array of the names of the space's features, in the order llmnas_arch_features writes
 *  them: a numeric hyperparameter's name ("_avg" for the mean over active layers, "[i]" for list position i), a
 *  named one's "name=choice" per one-hot entry. For HAT's spaces: the feature columns of HAT's latency data.
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument). */
LLMNAS_API llmnas_status llmnas_space_feature_names(const llmnas_space *space, char **out_json);

/** Draws `count` architectures (0 to LLMNAS_MAX_BATCH) uniformly, gene by gene, under the space's constraints and
 *  writes them to *out_json as a JSON array. The same seed gives the same text on every run and machine.
 *  Errors: LLMNAS_INVALID_ARGUMENT (count too large), LLMNAS_INFEASIBLE (the constraints reject 10,000 draws). */
LLMNAS_API llmnas_status llmnas_space_sample(const llmnas_space *space, uint64_t seed, size_t count, char **out_json);

/* ------------------------------------------------------------------------------------------------------------- */
/* Architectures                                                                                                  */
/* ------------------------------------------------------------------------------------------------------------- */
/* An architecture is a JSON object with one key per hyperparameter (docs/formats.md, "architecture"). Every function
 * below validates its architectures first and fails with LLMNAS_INVALID_ARCH on a missing or unknown key, a list of
 * the wrong length, a value outside the choices or a broken constraint, naming it. */

/** LLMNAS_OK when `arch_json` is an architecture of the space; otherwise the error and a message naming the
 *  offending hyperparameter and value. Errors: LLMNAS_INVALID_ARGUMENT, LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH. */
LLMNAS_API llmnas_status llmnas_arch_validate(const llmnas_space *space, const char *arch_json);

/** Writes the architecture's features to out[0 .. *out_len) (float32). *out_len receives the feature count even when
 *  `capacity` is too small (then LLMNAS_BUFFER_TOO_SMALL; out may be NULL to ask for the count). Each numeric
 *  hyperparameter gives its value (the mean over active layers for per-layer ones, each value for lists); a named
 *  one gives a one-hot vector (the mean one-hot over active layers; one per list position). For HAT's spaces these
 *  are HAT's features. Errors: LLMNAS_INVALID_ARGUMENT, LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH,
 *  LLMNAS_BUFFER_TOO_SMALL. */
LLMNAS_API llmnas_status llmnas_arch_features(const llmnas_space *space, const char *arch_json, float *out,
                                              size_t capacity, size_t *out_len);

/** Features of a JSON array of architectures as a row-major matrix: row i of out holds architecture i's
 *  llmnas_space_feature_count() values. *out_rows receives the number of architectures even when `capacity` (in
 *  floats) is too small. An error in element i names it. Errors: as llmnas_arch_features. */
LLMNAS_API llmnas_status llmnas_arch_features_batch(const llmnas_space *space, const char *archs_json, float *out,
                                                    size_t capacity, size_t *out_rows);

/** HAT's mutation: each gene of the architecture (for per-layer hyperparameters, every possible layer) is redrawn
 *  uniformly with `probability` in [0, 1]; layers that become active are drawn uniformly; redrawn while the space's
 *  constraints reject the result. The child goes to *out_json. Deterministic for a seed.
 *  Errors: LLMNAS_INVALID_ARGUMENT (probability outside [0, 1] or NaN), the architecture errors, LLMNAS_INFEASIBLE. */
LLMNAS_API llmnas_status llmnas_arch_mutate(const llmnas_space *space, const char *arch_json, double probability,
                                            uint64_t seed, char **out_json);

/** HAT's crossover: each gene comes from `a_json` or `b_json` with equal chance (a layer that only one parent has is
 *  taken from it); redrawn while the space's constraints reject the result. The child goes to *out_json.
 *  Deterministic for a seed. Errors: the architecture errors, LLMNAS_INFEASIBLE. */
LLMNAS_API llmnas_status llmnas_arch_crossover(const llmnas_space *space, const char *a_json, const char *b_json,
                                               uint64_t seed, char **out_json);

/** Size and cost of the architecture (docs/formats.md, "stats"): parameters without embeddings, embedding
 *  parameters and the FLOPs of one forward pass as HAT counts them. Errors: the architecture errors,
 *  LLMNAS_UNSUPPORTED (a space without a cost model, such as nas-bench-graph). */
LLMNAS_API llmnas_status llmnas_arch_stats(const llmnas_space *space, const char *arch_json, char **out_json);

/* ------------------------------------------------------------------------------------------------------------- */
/* LLM-PP: prompts, the client, predictions                                                                       */
/* ------------------------------------------------------------------------------------------------------------- */
/* A task (task_json, NULL for the defaults; docs/formats.md, "task") says what the LLM predicts beyond the space:
 * the task, dataset, examples, backbone, prompt options (docs/formats.md, "prompt options") and calibration.
 * Demonstrations (demos_json; docs/formats.md, "demonstrations") are architectures with measured scores. */

/** Builds the LLM-PP prompt for `arch_json` and writes it to *out_messages_json as a JSON array of chat messages
 *  (docs/formats.md, "prompt messages"): a role; instructions (task, dataset and metric, dataset examples, backbone,
 *  GFLOPs, the study-the-demonstrations line, the answer format); one line per hyperparameter with its meaning; the
 *  demonstrations as "name: value" lines (lists as [a, b]), "GFLOPs: x.x" and "<metric>: x.xx"; last the
 *  architecture to judge with its "<metric>:" line open. `options_json` (NULL: the task's "prompt" options) switches
 *  parts off. Errors: LLMNAS_INVALID_ARGUMENT, LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH (in the architecture or a
 *  demonstration, named). */
LLMNAS_API llmnas_status llmnas_prompt_build(const llmnas_space *space, const char *task_json, const char *demos_json,
                                             const char *arch_json, const char *options_json,
                                             char **out_messages_json);

/** A client of an OpenAI-compatible endpoint, with its response cache and usage ledger. Use one handle from one
 *  thread at a time; independent handles may run on different threads at once. */
typedef struct llmnas_llm llmnas_llm;

/** Creates a client from `config_json` (docs/formats.md, "LLM client config"; only "model" is required): the
 *  endpoint (default $OPENAI_BASE_URL, else OpenAI's), the environment variable holding the API key (read per
 *  batch, sent as a header, written nowhere), sampling, the answer format, timeouts and retries with backoff,
 *  concurrency, a persistent response cache, prices (cached prompt tokens apart), a budget ("max_cost",
 *  "max_requests": a request that could pass it is not sent and its item fails with LLMNAS_BUDGET_EXCEEDED) and
 *  the Batch API ("batch": every batch goes out as one batch job at the batch price; the ids of jobs not yet
 *  collected are kept beside the cache, so a process killed while waiting, run again, waits for the same job).
 *  The cache file holds the endpoint and the full request of each answer (never a header or key), one checksummed
 *  record appended per answer: a crash loses at most the answers in flight, and a rerun of cached work makes no
 *  request. Each batch is sent in the order of its request bodies, so prompts sharing a prefix follow each other
 *  (for servers that reuse a cached prefix). A 401 or 403 ends a batch: its requests not yet sent fail with
 *  LLMNAS_HTTP_ERROR. Redirects are not followed by default (a 3xx is an HTTP error); with "redirects": "same_host"
 *  those to the endpoint's own scheme, host and port are, up to 5, and no request or key ever goes to another host.
 *  A body over "max_response_bytes" (also when its Content-Length announces it), one that is not UTF-8 or nested
 *  deeper than 128 is LLMNAS_BAD_RESPONSE. Proxies come from the environment as libcurl reads it (http_proxy,
 *  HTTPS_PROXY, NO_PROXY; the lowercase http_proxy only, as libcurl ignores HTTP_PROXY). Errors:
 *  LLMNAS_INVALID_ARGUMENT (the message names the key), LLMNAS_MALFORMED_JSON, LLMNAS_IO_ERROR,
 *  LLMNAS_CORRUPT_FILE (a cache file of another kind). */
LLMNAS_API llmnas_status llmnas_llm_create(const char *config_json, llmnas_llm **out_llm);

/** Releases a client and closes its cache file. NULL is ignored. */
LLMNAS_API void llmnas_llm_free(llmnas_llm *llm);

/** Writes the client's usage ledger to *out_json (docs/formats.md, "usage"): requests, retries, failed items,
 *  cache hits, items the budget refused, batch jobs, tokens (cached prompt tokens apart), cost and time.
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument). */
LLMNAS_API llmnas_status llmnas_llm_usage_json(const llmnas_llm *llm, char **out_json);

/** LLM-PP: predicts the score of each of the `n` architectures in `archs_json` (a JSON array) by asking the LLM with
 *  the demonstrations, up to the client's "max_concurrency" requests at a time. scores[i] receives the score (the
 *  first number of the answer; with "n" samples their median or mean) or NaN; item_status[i] (item_status may be
 *  NULL) its status: LLMNAS_OK, or the item's own error (LLMNAS_HTTP_ERROR, LLMNAS_TIMEOUT, LLMNAS_CONNECTION_FAILED,
 *  LLMNAS_BAD_RESPONSE, LLMNAS_BAD_ANSWER for no number or one outside the metric's range, LLMNAS_CANCELLED,
 *  LLMNAS_BUDGET_EXCEEDED for one the budget did not let go, LLMNAS_OUT_OF_MEMORY for a response without the memory
 *  to hold it). With "calibrate": true in the task, each demonstration
 *  is first predicted from the others and the least-squares line from predicted to measured is applied to every
 *  score. `progress` (may be NULL) is called as items finish.
 *  Returns LLMNAS_OK when every item succeeded, LLMNAS_INCOMPLETE when some failed, LLMNAS_CANCELLED when the
 *  callback stopped it (scores and statuses are written in these three cases). Errors (nothing written):
 *  LLMNAS_INVALID_ARGUMENT (NULL argument, n not the number of architectures), LLMNAS_MALFORMED_JSON,
 *  LLMNAS_INVALID_ARCH. */
LLMNAS_API llmnas_status llmnas_llmpp_predict(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                              const char *demos_json, const char *archs_json, double *scores,
                                              llmnas_status *item_status, size_t n, llmnas_progress_fn progress,
                                              void *user_data);

/** llmnas_llmpp_predict with each item's spread over its "n" samples: stddevs[i] their standard deviation
 *  (population), lows[i] and highs[i] the smallest and largest numeric answer (with calibration, through its line:
 *  the spread times the slope's size, the range kept in order); one sample gives 0 and its score twice. With the
 *  client's "aggregate": "expectation" they are those of the distribution the answer's token log-probabilities
 *  give its number, from one request (docs/formats.md, "LLM client config"). Each of stddevs, lows and highs may
 *  be NULL; NaN for a failed item. Returns and errors as llmnas_llmpp_predict. */
LLMNAS_API llmnas_status llmnas_llmpp_predict_spread(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                                     const char *demos_json, const char *archs_json, double *scores,
                                                     double *stddevs, double *lows, double *highs,
                                                     llmnas_status *item_status, size_t n, llmnas_progress_fn progress,
                                                     void *user_data);

/** What llmnas_llmpp_predict with the same arguments would send and cost now, before anything is sent; writes it
 *  to *out_json (docs/formats.md, "estimate"): the items, those the response cache answers, the requests to send,
 *  their prompt tokens (counted by the endpoint's tokenizer when it has one, llama-server's /tokenize; else from
 *  the tokens per byte of the requests this client had answered; else at 4 bytes per token: "token_source" says
 *  which), projected and maximal completion tokens and cost, and whether the budget holds them. Calibration's
 *  requests are included when the task calibrates. Sends no completion request. Errors: LLMNAS_INVALID_ARGUMENT
 *  (NULL argument, n not the number of architectures), LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH. */
LLMNAS_API llmnas_status llmnas_llmpp_estimate(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                               const char *demos_json, const char *archs_json, size_t n,
                                               char **out_json);

/** How good LLM-PP is on these demonstrations, before labelling anything else: each demonstration is predicted
 *  without those of its fold (leave-one-out up to 50 demonstrations, in calibration's own prompts, so a later
 *  calibration with the same client and cache costs no request; else 10 folds; "folds" in `options_json` chooses),
 *  and so are the calibrated predictor (its line fitted on the other folds) and, for spaces with a cost model, the
 *  least-squares lines on the parameter count and on GFLOPs. Writes to *out_json (docs/formats.md, "validation";
 *  options in "validation options") each predictor's held-out predictions, MAE, RMSE and Kendall tau-b over the
 *  demonstrations all of them predicted, with bootstrap percentile intervals, and what the requests cost. The task
 *  is llmnas_llmpp_predict's ("calibrate" plays no part); `progress` (may be NULL) is called as items finish, stage
 *  "validation". Errors: those of llmnas_llmpp_predict's arguments, LLMNAS_INVALID_ARGUMENT (fewer than 3
 *  demonstrations, more folds than demonstrations), LLMNAS_CANCELLED. Failed items are left out and counted
 *  ("missing", "first_failure"), not an error. */
LLMNAS_API llmnas_status llmnas_llmpp_validate(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                               const char *demos_json, const char *options_json,
                                               llmnas_progress_fn progress, void *user_data, char **out_json);

/** LLM-proposed architectures: asks the LLM for new architectures of `space` that should score better than the
 *  demonstrations (`demos_json`, at least one; the task as llmnas_llmpp_predict's), within the GFLOPs and parameter
 *  budgets of `request_json` (docs/formats.md, "proposal request": count, max_gflops, max_params for spaces with a
 *  cost model, rounds, max_tokens; NULL: 10 proposals, no budget, 3 rounds). Every JSON object of each answer is
 *  judged: accepted when it is an architecture of the space that keeps the space's rules and the budgets and repeats
 *  neither a demonstration nor an accepted proposal; every other one is rejected with its reason, as is an answer
 *  without any object. Each round asks for the proposals still missing. Writes to *out_json (docs/formats.md,
 *  "proposals") the accepted architectures (ready for a search config's "initial") and every rejection. Errors:
 *  LLMNAS_INVALID_ARGUMENT (NULL argument, no demonstration, a budget for a space without a cost model),
 *  LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH (a demonstration), and the request errors of llmnas_llmpp_predict
 *  (a round's request failing ends the call: answers cached by the client replay for free on the next call). */
LLMNAS_API llmnas_status llmnas_llm_propose(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                            const char *demos_json, const char *request_json, char **out_json);

/* ------------------------------------------------------------------------------------------------------------- */
/* Metrics and the paper's evaluation protocol                                                                    */
/* ------------------------------------------------------------------------------------------------------------- */

/** Writes to *out_json how `predicted` agrees with `truth` (docs/formats.md, "metrics"; 1 to 100,000,000 finite
 *  values each): MAE, RMSE, Kendall tau-b with ties as scipy.stats.kendalltau (O(n log n)), Spearman and Pearson;
 *  an undefined correlation (constant input) is null. Errors: LLMNAS_INVALID_ARGUMENT. */
LLMNAS_API llmnas_status llmnas_metrics(const double *predicted, const double *truth, size_t n, char **out_json);

/** Writes Kendall's tau-b of x and y (2 to 100,000,000 finite values each) to *out_tau, NaN when one side is
 *  constant: the hot-path form of llmnas_metrics, O(n log n) with integer sorts. Errors: LLMNAS_INVALID_ARGUMENT. */
LLMNAS_API llmnas_status llmnas_kendall_tau(const double *x, const double *y, size_t n, double *out_tau);

/** Runs the evaluation of Jawahar et al. (2024) on the labelled data in `data_dir` (labeled.csv and splits.csv, as
 *  shipped in data/llmpp-wmt): for each task (wmt14ende, wmt14enfr, wmt19ende) and split seed (123, 456, 789) the 10
 *  "train" architectures are the demonstrations and the 20 "test" ones are predicted, scored by MAE and Kendall
 *  tau-b against scratch_valid_bleu. Predictors: LLM-PP and LLM-PP calibrated (when `llm` is not NULL), the four
 *  supernets of the data, a least-squares line of BLEU on the parameter count and, with "distill" in the options,
 *  LLM-Distill-PP. `options_json` (may be NULL): docs/formats.md, "protocol options". *out_json: docs/formats.md,
 *  "protocol result" (per predictor and task, MAE and tau mean±std over the seeds, and the printed table).
 *  Errors: LLMNAS_INVALID_ARGUMENT, LLMNAS_MALFORMED_JSON, LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE, LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_eval_paper_protocol(llmnas_llm *llm, const char *data_dir, const char *options_json,
                                                    llmnas_progress_fn progress, void *user_data, char **out_json);

/* ------------------------------------------------------------------------------------------------------------- */
/* MLP regressors: LLM-Distill-PP and latency predictors                                                          */
/* ------------------------------------------------------------------------------------------------------------- */

/** A trained MLP regressor (dense layers, ReLU, one output; input and target standardisation inside). Immutable:
 *  one handle may predict from any number of threads at once. */
typedef struct llmnas_mlp llmnas_mlp;

/** Trains an MLP on `n` rows (n >= 2) of `dim` features (`x`, row-major float32) and their targets `y`, and writes
 *  it to *out_mlp. `config_json` (NULL or "{}" for the paper's recipe: 400-400-400-400 ReLU, Adam at 1e-5, batch
 *  128, 5,000 steps, MSE): docs/formats.md, "MLP config". Deterministic for a seed and an OpenBLAS thread count.
 *  `progress` (may be NULL) is called every "evaluate_every" steps with stage "train", done = step, total = steps
 *  and value = the training loss in target units; nonzero cancels (LLMNAS_CANCELLED, no model). Errors:
 *  LLMNAS_INVALID_ARGUMENT (NULL, NaN or infinite values, too few rows), LLMNAS_MALFORMED_JSON, LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_mlp_train(const char *config_json, const float *x, const float *y, size_t n, size_t dim,
                                          llmnas_progress_fn progress, void *user_data, llmnas_mlp **out_mlp);

/** Predicts `n` rows of `dim` features into out[0 .. n), caller-owned. `dim` must equal the model's input count;
 *  n = 0 does nothing. Batches are processed 1,024 rows at a time, so memory stays bounded. Errors:
 *  LLMNAS_INVALID_ARGUMENT (NULL, a dimension that does not match, NaN or infinite inputs). */
LLMNAS_API llmnas_status llmnas_mlp_predict(const llmnas_mlp *mlp, const float *x, size_t n, size_t dim, float *out);

/** Writes the model to `path`: magic, format version, shapes, standardisation, weights, training record and a CRC-32,
 *  written to a temporary file and renamed, so a crash leaves the old file or the new one. Errors:
 *  LLMNAS_INVALID_ARGUMENT, LLMNAS_IO_ERROR. */
LLMNAS_API llmnas_status llmnas_mlp_save(const llmnas_mlp *mlp, const char *path);

/** Reads a model written by llmnas_mlp_save. Errors: LLMNAS_IO_ERROR (no such file), LLMNAS_CORRUPT_FILE (a
 *  truncated, damaged or foreign file, or another format version). */
LLMNAS_API llmnas_status llmnas_mlp_load(const char *path, llmnas_mlp **out_mlp);

/** Writes to *out_json the model's shape, standardisation and training record (docs/formats.md, "MLP info").
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument). */
LLMNAS_API llmnas_status llmnas_mlp_info_json(const llmnas_mlp *mlp, char **out_json);

/** Releases a model. NULL is ignored. */
LLMNAS_API void llmnas_mlp_free(llmnas_mlp *mlp);

/** LLM-Distill-PP: draws `labels` architectures (by `seed`, without replacement) from the pool in `pool_path` (JSON
 *  Lines: one architecture per line, or an object whose "architecture" member is one; "arch" in the paper's
 *  data/llmpp-wmt/unlabeled_archs.jsonl), labels them with LLM-PP (as llmnas_llmpp_predict with this task and these
 *  demonstrations, through the client's cache), trains an MLP from their features to the labels (`mlp_config_json`
 *  as llmnas_mlp_train; NULL for the paper's recipe) and writes it to *out_mlp. Items LLM-PP could not label are left
 *  out. *out_report_json (docs/formats.md, "distillation report"): what the labels cost against what a prediction
 *  costs afterwards. Progress stages: "label (llmpp)" (and "label (calibration)"), then "train". Errors: the input
 *  errors of llmnas_llmpp_predict, LLMNAS_INVALID_ARGUMENT (labels fewer than 2 or more than the pool),
 *  LLMNAS_IO_ERROR (pool file), LLMNAS_BAD_ANSWER (fewer than 2 usable labels), LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_distill_llmpp(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                              const char *demos_json, const char *pool_path, size_t labels,
                                              uint64_t seed, const char *mlp_config_json, llmnas_progress_fn progress,
                                              void *user_data, llmnas_mlp **out_mlp, char **out_report_json);

/** Writes to *out_json a JSON array of the built-in latency predictors' names, "<task>-<device>" for each of HAT's
 *  measured devices (e.g. "wmt14ende-titanxp"). Errors: LLMNAS_INVALID_ARGUMENT (out_json NULL). */
LLMNAS_API llmnas_status llmnas_latency_predictor_builtin_names(char **out_json);

/** A built-in latency predictor, embedded in the library: an MLP from HAT's features (llmnas_arch_features of a
 *  HAT space) to the latency in ms (encoder plus decoder), trained by llmnas on HAT's measurements with HAT's recipe.
 *  Free it with llmnas_mlp_free. Errors: LLMNAS_INVALID_ARGUMENT, LLMNAS_NOT_FOUND (the message lists the names). */
LLMNAS_API llmnas_status llmnas_latency_predictor_builtin(const char *name, llmnas_mlp **out_mlp);

/** Trains a latency predictor on a measured data set in HAT's CSV format (HAT's feature columns,
 *  latency_mean_encoder and latency_mean_decoder in ms): an 80/10/10 split drawn with the config's seed, the MLP
 *  trained on the 80% (config as llmnas_mlp_train; NULL for HAT's recipe), and the validation and test errors written
 *  to *out_report_json (docs/formats.md, "latency report"). Errors: LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE (missing
 *  columns, values that are not numbers), LLMNAS_INVALID_ARGUMENT, LLMNAS_MALFORMED_JSON, LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_latency_predictor_train(const char *csv_path, const char *config_json,
                                                        llmnas_progress_fn progress, void *user_data,
                                                        llmnas_mlp **out_mlp, char **out_report_json);

/* ------------------------------------------------------------------------------------------------------------- */
/* HS-NAS: evolutionary search under constraints with a hybrid estimator schedule                                 */
/* ------------------------------------------------------------------------------------------------------------- */

/** A search in progress: HAT's evolution (Wang et al., 2020) with the estimator schedule of HS-NAS (Jawahar et al.,
 *  2024). One thread at a time; callbacks must not call back into the same search. */
typedef struct llmnas_search llmnas_search;

/** A host estimator for llmnas_search_run: score the `n` architectures of `candidates_json` (a JSON array) into
 *  scores[0 .. n), in order, finite. Return 0 to go on; nonzero stops the run with LLMNAS_CANCELLED, keeping every
 *  score told before. */
typedef int (*llmnas_score_fn)(const char *candidates_json, size_t n, double *scores, void *user_data);

/** The layout generation of llmnas_estimator this header describes. */
#define LLMNAS_ESTIMATOR_VERSION 1

/** A named host estimator and its callback, for llmnas_search_run. Start from LLMNAS_ESTIMATOR_INIT, so `version`
 *  says which fields the caller knows: the library reads an array of them with the stride of that version, and
 *  later versions only append fields. */
typedef struct llmnas_estimator {
    unsigned int version;   /**< LLMNAS_ESTIMATOR_VERSION of the header the caller compiled against. */
    const char *name;       /**< The estimator's name in the search config. */
    llmnas_score_fn score;  /**< Its callback. */
    void *user_data;        /**< Passed to the callback. */
} llmnas_estimator;

/** An llmnas_estimator with its version set and every other field empty. */
#define LLMNAS_ESTIMATOR_INIT {LLMNAS_ESTIMATOR_VERSION, NULL, NULL, NULL}

/** A host constraint's value for one architecture (`arch_json`) into *value. Return 0, or nonzero to fail the
 *  search step with LLMNAS_CANCELLED. */
typedef int (*llmnas_value_fn)(const char *arch_json, double *value, void *user_data);

/** The most iterations, and the largest population, a search config may ask for. */
#define LLMNAS_MAX_SEARCH_ITERATIONS 100000
#define LLMNAS_MAX_POPULATION 100000

/** Creates a search of `space` (the search keeps its own reference) and writes it to *out_search. `config_json`
 *  (NULL or "{}": HAT's defaults, population 125, 30 iterations, and one host estimator named "host", higher
 *  better): docs/formats.md, "search config": the evolution's sizes, the estimators (host, MLP, LLM; an MLP may be
 *  refitted during the search on the scores of another estimator and its initial labels), the schedule saying which
 *  estimator scores which iterations (an entry may be a cascade: a cheaper estimator screens a larger pool and only
 *  its best go on, with those whose screen score is least certain if asked; parents are ranked by the entry's
 *  estimator alone), constraints (predicted latency, params, FLOPs,
 *  host values), a warm start (e.g. llmnas_llm_propose's architectures) and a checkpoint file. Every new candidate
 *  meets all constraints and differs from the rest of its population; it is drawn up to 10,000 times before the step
 *  fails with LLMNAS_INFEASIBLE. An architecture an estimator has scored is never sent to it again (a refitted MLP
 *  scores anew). Errors: LLMNAS_INVALID_ARGUMENT (an unknown key, an unknown estimator in the schedule, a cascade or
 *  refit naming a wrong estimator, overlapping or missing iterations, inconsistent sizes), LLMNAS_MALFORMED_JSON,
 *  LLMNAS_INVALID_ARCH (initial), LLMNAS_NOT_FOUND (built-in predictor), LLMNAS_UNSUPPORTED (params or FLOPs without
 *  a cost model), LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE. */
LLMNAS_API llmnas_status llmnas_search_create(const llmnas_space *space, const char *config_json,
                                              llmnas_search **out_search);

/** Continues a search from its checkpoint file exactly where it stood: the same candidates, the same random draws,
 *  the same result as a run that never stopped. It keeps saving to `path`. Models, clients and callbacks bound by
 *  name must be bound again. Errors: LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE (truncated, damaged, foreign, another
 *  version), and the errors of llmnas_search_create. */
LLMNAS_API llmnas_status llmnas_search_resume(const char *path, llmnas_search **out_search);

/** Binds `mlp` to the config's MLP estimator or latency constraint called `name` (the search keeps its own
 *  reference). Errors: LLMNAS_NOT_FOUND (no such entry waiting for a model), LLMNAS_INVALID_ARGUMENT (the model's
 *  input count is not the space's feature count). */
LLMNAS_API llmnas_status llmnas_search_bind_mlp(llmnas_search *search, const char *name, const llmnas_mlp *mlp);

/** Binds an LLM client to the config's LLM estimator called `name`; the search keeps its own reference and uses the
 *  client (cache, ledger) during ask, tell and run, so the client must not be used elsewhere at the same time.
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument), LLMNAS_NOT_FOUND (no LLM estimator of that name). */
LLMNAS_API llmnas_status llmnas_search_bind_llm(llmnas_search *search, const char *name, llmnas_llm *llm);

/** Binds a callback to the config's host constraint called `name`; it is called with each candidate.
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument), LLMNAS_NOT_FOUND (no host constraint of that name). */
LLMNAS_API llmnas_status llmnas_search_bind_constraint(llmnas_search *search, const char *name, llmnas_value_fn fn,
                                                       void *user_data);

/** Writes to *out_candidates_json the JSON array of architectures the current iteration needs scored by a host
 *  estimator (its cascade's screen first, then its own), and to *out_estimator_name that estimator's name; "[]" and
 *  "" once the search is finished. Runs the
 *  built-in estimators (MLP, LLM) and breeding as far as it can first; scores an LLM estimator returned are kept
 *  even when others of its batch failed, so asking again requests only the rest. Asking again before a tell gives
 *  the same batch. Errors: LLMNAS_INVALID_ARGUMENT (an estimator or constraint without its binding),
 *  LLMNAS_INFEASIBLE, LLMNAS_INCOMPLETE (some architectures of an LLM estimator's batch got no score; the message
 *  quotes the first failure), LLMNAS_CANCELLED (a host constraint failed), LLMNAS_IO_ERROR (checkpoint). */
LLMNAS_API llmnas_status llmnas_search_ask(llmnas_search *search, char **out_candidates_json,
                                           char **out_estimator_name);

/** Gives the scores of the last ask's candidates, in its order; they are checkpointed before the search moves on.
 *  Errors (the search is left unchanged): LLMNAS_INVALID_ARGUMENT (NULL, n not the count asked, a NaN or infinite
 *  score, nothing asked, the search finished); after the scores are taken, the errors of llmnas_search_ask for the
 *  steps that follow. */
LLMNAS_API llmnas_status llmnas_search_tell(llmnas_search *search, const double *scores, size_t n);

/** As llmnas_search_tell, with each score's spread: how uncertain the host is of it (a standard deviation in score
 *  units, finite and not negative; e.g. the deviation over an ensemble or over seeds). The trials record it, and a
 *  cascade whose screen this estimator is reads it for `keep_uncertain` (docs/formats.md, "search config"). NULL
 *  spreads: as llmnas_search_tell. Errors: those of llmnas_search_tell, LLMNAS_INVALID_ARGUMENT (a NaN, infinite or
 *  negative spread; the search is left unchanged). */
LLMNAS_API llmnas_status llmnas_search_tell_spread(llmnas_search *search, const double *scores, const double *spreads,
                                                   size_t n);

/** Runs the search to its end, scoring host estimators with the callbacks of `estimators` (n_estimators entries,
 *  matched by name). `progress` (may be NULL) is called after each iteration with stage "search", done = finished
 *  iterations, total = iterations and value = that iteration's best score; nonzero cancels (LLMNAS_CANCELLED; the
 *  search can go on later). The callbacks tell scores only: a host screen whose spreads a cascade's `keep_uncertain`
 *  should read drives the search with llmnas_search_ask and llmnas_search_tell_spread instead. Errors: those of ask
 *  and tell, LLMNAS_INVALID_ARGUMENT (no callback for a host estimator the schedule uses), LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_search_run(llmnas_search *search, const llmnas_estimator *estimators,
                                           size_t n_estimators, llmnas_progress_fn progress, void *user_data);

/** Writes to *out_json the best architecture of the last finished iteration, under that iteration's estimator, with
 *  its score, constraint values and, for spaces with a cost model, its stats (docs/formats.md, "search best").
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument), LLMNAS_NOT_FOUND (no iteration finished yet). */
LLMNAS_API llmnas_status llmnas_search_best_json(const llmnas_search *search, char **out_json);

/** Writes to *out_json whether the search is finished, the iteration under way, the scores each estimator has given
 *  and one record per finished iteration (docs/formats.md, "search history"). Errors: LLMNAS_INVALID_ARGUMENT (NULL
 *  argument). */
LLMNAS_API llmnas_status llmnas_search_history_json(const llmnas_search *search, char **out_json);

/** Writes to *out_json every architecture any estimator of the search has scored (docs/formats.md, "search
 *  trials"): its estimator, the iteration that asked for it, its score and its spread, its constraint values, its
 *  parameters and FLOPs (spaces with a cost model) and whether it was ever kept as a parent; and each estimator's
 *  direction.
 *  Errors: LLMNAS_INVALID_ARGUMENT (NULL argument). */
LLMNAS_API llmnas_status llmnas_search_trials_json(const llmnas_search *search, char **out_json);

/** Writes the history to `path` atomically as "jsonl" (a record per line, as docs/formats.md, "search history"),
 *  "csv" (a row per iteration, the architecture as a JSON cell) or "html" (a standalone page with inline SVG: best
 *  score per iteration for each estimator, the final population's score against the first constraint with its
 *  Pareto front). Errors: LLMNAS_INVALID_ARGUMENT (unknown format), LLMNAS_IO_ERROR. */
LLMNAS_API llmnas_status llmnas_search_write_report(const llmnas_search *search, const char *path, const char *format);

/** Releases a search (its checkpoint file stays). NULL is ignored. */
LLMNAS_API void llmnas_search_free(llmnas_search *search);

#ifdef __cplusplus
}
#endif

#endif /* LLMNAS_H */
