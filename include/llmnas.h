/*
 * llmnas.h: the C interface of libllmnas, LLM-based neural architecture search as an embeddable library.
 *
 * Conventions (every function below follows them; its comment says only what differs):
 * - Status: a fallible function returns LLMNAS_OK (0) or a negative error; then llmnas_last_error() names the
 *   offending argument or value and out-parameters are untouched. NULL or non-UTF-8 is LLMNAS_INVALID_ARGUMENT.
 * - Strings in: UTF-8, NUL-terminated, borrowed for the call. Strings out (char **out_*): allocated by the
 *   library, freed with llmnas_string_free(). Arrays: a pointer and a size_t count; numeric outputs go to
 *   caller-owned buffers, and one too small gives LLMNAS_BUFFER_TOO_SMALL with the needed length written first.
 * - Handles are opaque; constructors write *out only on success; destructors accept NULL. Each handle type says
 *   which threads may share it; functions without a handle may be called from any thread.
 * - JSON: every document is specified once, key by key, in docs/formats.md; a comment names its section, as in
 *   formats.md "search config". Unknown keys are errors. Architectures are checked first: a missing or unknown
 *   key, a list of the wrong length, a value outside the choices or a broken rule is LLMNAS_INVALID_ARCH, named.
 * - Progress: `progress` (may be NULL) gets an llmnas_progress per step; nonzero cancels (LLMNAS_CANCELLED, what
 *   was done is kept).
 * - Bounds, refused with a status: LLMNAS_MAX_BATCH architectures per call, JSON nesting 128, lists and layers
 *   64, 10,000 demonstrations, LLMNAS_MAX_PROMPT_BYTES, "max_response_bytes", files of 1 GiB, the search maxima.
 *   A space is never enumerated: memory is linear in its genes.
 * - Secrets: an API key is read from the environment variable the client config names, sent only as a header,
 *   written to no file and redacted from every message.
 * - Stability: everything here is stable (docs/ABI.md) except what is marked [EXPERIMENTAL], which a minor release
 *   may change or remove.
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

/* ---- Versions ---- */

/** The version of this header, stated here only (the build and the bindings derive theirs from it). */
#define LLMNAS_VERSION_MAJOR 1
#define LLMNAS_VERSION_MINOR 0
#define LLMNAS_VERSION_PATCH 0

/** The ABI generation this header describes; the SONAME is libllmnas.so.<LLMNAS_ABI_VERSION> (docs/ABI.md). */
#define LLMNAS_ABI_VERSION 3

/** The most architectures one call accepts or returns. */
#define LLMNAS_MAX_BATCH 1000000

/** The largest request body (prompt and settings) the LLM client sends. */
#define LLMNAS_MAX_PROMPT_BYTES 1048576

/** The binary's version, "MAJOR.MINOR.PATCH". Static storage. */
LLMNAS_API const char *llmnas_version_string(void);

/** The binary's ABI generation: equal to LLMNAS_ABI_VERSION when header and binary agree. */
LLMNAS_API int llmnas_abi_version(void);

/* ---- Status codes and errors ---- */

/** Every status: X(name, value, meaning). Values are fixed forever: a new code takes the next lower number. */
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

/** "NAME: meaning" of a status; an unknown value gives a text saying so. Static storage, never NULL. */
LLMNAS_API const char *llmnas_status_string(llmnas_status status);

/** The calling thread's last error message, "" after a success. Never NULL; valid until the thread's next call. */
LLMNAS_API const char *llmnas_last_error(void);

/** Frees a string the library returned. NULL is ignored. */
LLMNAS_API void llmnas_string_free(char *string);

/* ---- Progress ---- */

/** What a long operation reports. Library-owned, valid during the callback; fields may be appended later. */
typedef struct llmnas_progress {
    const char *stage;  /**< What is running, e.g. "llmpp", "calibration", "train", "search". */
    size_t done;        /**< Items finished in this stage. */
    size_t total;       /**< Items in this stage. */
    double value;       /**< A stage-specific figure (a loss, a best score), NaN when the stage has none. */
} llmnas_progress;

/** A progress callback, called on the calling thread: 0 goes on, nonzero cancels. */
typedef int (*llmnas_progress_fn)(const llmnas_progress *progress, void *user_data);

/* ---- Search spaces and architectures ---- */

/** A search space (formats.md "search space"). Immutable: any number of threads may use one handle at once. */
typedef struct llmnas_space llmnas_space;

/** Writes the built-in spaces' names as a JSON array: "hat-wmt14ende", "hat-wmt14enfr", "hat-wmt19ende",
 *  "hat-iwslt14deen" (HAT's Transformer spaces) and "nas-bench-graph". */
LLMNAS_API llmnas_status llmnas_space_builtin_names(char **out_json);

/** Creates a handle on a built-in space. @return LLMNAS_NOT_FOUND for an unknown name (the message lists them). */
LLMNAS_API llmnas_status llmnas_space_builtin(const char *name, llmnas_space **out_space);

/** Creates a space from its definition (formats.md "search space"; llmnas_space_serialize of a built-in one is a
 *  complete example). @return LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_SPACE (the message names the key). */
LLMNAS_API llmnas_status llmnas_space_from_json(const char *json, llmnas_space **out_space);

/** Writes the space's definition, as llmnas_space_from_json reads it (formats.md "search space"). */
LLMNAS_API llmnas_status llmnas_space_serialize(const llmnas_space *space, char **out_json);

/** Releases a space. NULL is ignored. */
LLMNAS_API void llmnas_space_free(llmnas_space *space);

/** Writes how many features each architecture of the space has. */
LLMNAS_API llmnas_status llmnas_space_feature_count(const llmnas_space *space, size_t *out_count);

/** Writes the feature names as a JSON array, in llmnas_arch_features' order: a numeric hyperparameter's name
 *  ("_avg" for the mean over active layers, "[i]" for list position i), "name=choice" per one-hot entry. For HAT's
 *  spaces: the feature columns of HAT's latency data. */
LLMNAS_API llmnas_status llmnas_space_feature_names(const llmnas_space *space, char **out_json);

/** Draws `count` architectures (0 to LLMNAS_MAX_BATCH) uniformly, gene by gene, under the space's rules, as a JSON
 *  array; a seed gives the same text on every machine. @return LLMNAS_INFEASIBLE (10,000 draws rejected). */
LLMNAS_API llmnas_status llmnas_space_sample(const llmnas_space *space, uint64_t seed, size_t count, char **out_json);

/** Checks that `arch_json` (formats.md "architecture") is an architecture of the space.
 *  @return LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH (naming the hyperparameter and value). */
LLMNAS_API llmnas_status llmnas_arch_validate(const llmnas_space *space, const char *arch_json);

/** Writes the architecture's float32 features to out[0 .. *out_len) (numeric values, layer means or per-layer
 *  values, one-hot choices; HAT's features for HAT's spaces; a bound featurizer's for a space that names one).
 *  *out_len gets the count even when `capacity` is short (out may then be NULL). @return LLMNAS_BUFFER_TOO_SMALL,
 *  the architecture errors, a featurizer's (LLMNAS_INVALID_ARGUMENT unbound, LLMNAS_CANCELLED failing). */
LLMNAS_API llmnas_status llmnas_arch_features(const llmnas_space *space, const char *arch_json, float *out,
                                              size_t capacity, size_t *out_len);

/** The features of a JSON array of architectures as a row-major matrix, one row each; *out_rows gets the count
 *  even when `capacity` (in floats) is short. An error names the element. @return as llmnas_arch_features. */
LLMNAS_API llmnas_status llmnas_arch_features_batch(const llmnas_space *space, const char *archs_json, float *out,
                                                    size_t capacity, size_t *out_rows);

/** HAT's mutation: each gene (every possible layer's) redrawn uniformly with `probability` in [0, 1], redrawn
 *  while the space's rules reject the child. Deterministic for a seed. @return LLMNAS_INFEASIBLE. */
LLMNAS_API llmnas_status llmnas_arch_mutate(const llmnas_space *space, const char *arch_json, double probability,
                                            uint64_t seed, char **out_json);

/** HAT's crossover: each gene from `a_json` or `b_json` with equal chance (a layer only one parent has from it),
 *  redrawn while the space's rules reject the child. Deterministic for a seed. @return LLMNAS_INFEASIBLE. */
LLMNAS_API llmnas_status llmnas_arch_crossover(const llmnas_space *space, const char *a_json, const char *b_json,
                                               uint64_t seed, char **out_json);

/** Writes the architecture's parameters and FLOPs as HAT counts them (formats.md "stats").
 *  @return LLMNAS_UNSUPPORTED for a space without a cost model. */
LLMNAS_API llmnas_status llmnas_arch_stats(const llmnas_space *space, const char *arch_json, char **out_json);

/** A host cost: writes the architecture's parameters and FLOPs (finite, not negative, below 9e18) to *params and
 *  *flops. Called on the thread of the call that needs the cost; nonzero fails that call with LLMNAS_CANCELLED. */
typedef int (*llmnas_cost_fn)(const char *arch_json, double *params, double *flops, void *user_data);

/** Creates a handle on `space` with its host cost model `name` (formats.md "search space", a cost_model of kind
 *  "host") bound to `fn`: stats, params and flops constraints, proposals' bounds, validation's cost lines and the
 *  prompts' GFLOPs line then call it. `space` is unchanged. @return LLMNAS_NOT_FOUND (the space has no host cost
 *  `name`), LLMNAS_INVALID_ARGUMENT (fn NULL). */
LLMNAS_API llmnas_status llmnas_space_with_cost(const llmnas_space *space, const char *name, llmnas_cost_fn fn,
                                                void *user_data, llmnas_space **out_space);

/** A host featurizer: writes the architecture's `count` features (finite) to out[0 .. count). Called on the thread
 *  of the call that needs features; nonzero fails that call with LLMNAS_CANCELLED. */
typedef int (*llmnas_features_fn)(const char *arch_json, float *out, size_t count, void *user_data);

/** Creates a handle on `space` with its featurizer `name` (formats.md "search space", its "featurizer") bound to
 *  `fn`: the features every MLP predictor, screen, refit and nearest-demonstration choice then reads, and
 *  llmnas_arch_features writes. `space` is unchanged. @return LLMNAS_NOT_FOUND, LLMNAS_INVALID_ARGUMENT (fn NULL). */
LLMNAS_API llmnas_status llmnas_space_with_featurizer(const llmnas_space *space, const char *name,
                                                      llmnas_features_fn fn, void *user_data,
                                                      llmnas_space **out_space);

/* ---- LLM-PP: prompts, the client, predictions ---- */
/* `task_json` (NULL for the defaults): formats.md "task", with its "prompt" options (formats.md "prompt options")
 * and "calibrate". `demos_json`: formats.md "demonstrations", architectures with their measured scores. */

/** Builds the LLM-PP prompt judging `arch_json` as chat messages (formats.md "prompt messages"). `options_json`
 *  (NULL: the task's) switches parts off. @return LLMNAS_INVALID_ARCH (the architecture or a demonstration). */
LLMNAS_API llmnas_status llmnas_prompt_build(const llmnas_space *space, const char *task_json, const char *demos_json,
                                             const char *arch_json, const char *options_json,
                                             char **out_messages_json);

/** A client of an OpenAI-compatible endpoint with its response cache and usage ledger. One thread at a time per
 *  handle; independent handles may run on different threads. */
typedef struct llmnas_llm llmnas_llm;

/** Creates a client (formats.md "LLM client config": endpoint, key variable, sampling, timeouts and retries,
 *  concurrency, cache file, prices, budget, redirects, Batch API). Each answer is appended to the cache file as a
 *  checksummed record keyed by endpoint and request (never a header), so a crash loses only answers in flight.
 *  @return LLMNAS_MALFORMED_JSON, LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE (a cache file of another kind). */
LLMNAS_API llmnas_status llmnas_llm_create(const char *config_json, llmnas_llm **out_llm);

/** Releases a client and closes its cache file. NULL is ignored. */
LLMNAS_API void llmnas_llm_free(llmnas_llm *llm);

/** Writes the client's usage ledger (formats.md "usage"): requests, retries, failures, cache hits, tokens, cost. */
LLMNAS_API llmnas_status llmnas_llm_usage(const llmnas_llm *llm, char **out_json);

/** LLM-PP: predicts the `n` architectures of `archs_json`, up to "max_concurrency" requests at a time. scores[i]
 *  gets the score (the answer's number; of "n" samples their median or mean) or NaN, item_status[i] (may be NULL)
 *  the item's own status. With "calibrate" (true or "affine"), the least-squares line from the demonstrations'
 *  leave-one-out predictions to their scores is applied; with "combined", the combined predictor (formats.md
 *  "calibration": the cost line with those predictions let in as far as cross-validation shows they help), which
 *  llmnas_llm_usage then reports. Progress stages "llmpp", "calibration". A 401 or 403 ends the batch.
 *  @return LLMNAS_OK, LLMNAS_INCOMPLETE (items failed) or LLMNAS_CANCELLED, with scores and statuses written;
 *  else LLMNAS_INVALID_ARGUMENT (n not the count), LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH, nothing written. */
LLMNAS_API llmnas_status llmnas_llmpp_predict(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                              const char *demos_json, const char *archs_json, double *scores,
                                              llmnas_status *item_status, size_t n, llmnas_progress_fn progress,
                                              void *user_data);

/** llmnas_llmpp_predict with each item's spread over its "n" samples (or, with "aggregate": "expectation", over
 *  its answer's digit distribution): stddevs[i] (population), lows[i] and highs[i] (through the calibration line
 *  when calibrating); one sample gives 0 and its score twice, a failed item NaN. Each array may be NULL.
 *  @return as llmnas_llmpp_predict. */
LLMNAS_API llmnas_status llmnas_llmpp_predict_spread(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                                     const char *demos_json, const char *archs_json, double *scores,
                                                     double *stddevs, double *lows, double *highs,
                                                     llmnas_status *item_status, size_t n, llmnas_progress_fn progress,
                                                     void *user_data);

/** What llmnas_llmpp_predict would send and cost now, sending nothing (formats.md "estimate"). */
LLMNAS_API llmnas_status llmnas_llmpp_estimate(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                               const char *demos_json, const char *archs_json, size_t n,
                                               char **out_json);

/** Cross-validates LLM-PP, calibrated LLM-PP, the cost lines and the combined predictor on the demonstrations (leave-one-out up to 50,
 *  in calibration's own prompts; else 10 folds): MAE, RMSE, Kendall tau-b with bootstrap intervals, and the cost
 *  (formats.md "validation"; options: formats.md "validation options"). Progress stage "validation".
 *  @return LLMNAS_INVALID_ARGUMENT (fewer than 3 demonstrations, more folds than them), LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_llmpp_validate(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                               const char *demos_json, const char *options_json,
                                               llmnas_progress_fn progress, void *user_data, char **out_json);

/** Chooses how to predict on these demonstrations: validates each prompt mode of `options_json` (formats.md "choice
 *  options"; NULL: every demonstration shown, then the nearest half) as llmnas_llmpp_validate does, while the
 *  requests it still needs fit "max_requests", and picks by the one-standard-error rule the candidate cheapest to
 *  predict with (the cost lines, then per prompt mode combined, calibrated, LLM-PP) whose cross-validated MAE is
 *  within one standard error of the least (formats.md "choice": the chosen candidate, the "task_options" that
 *  reproduce it in llmnas_llmpp_predict, every candidate's figures, what was sent). Never sends more than
 *  "max_requests" requests, retries included. Progress stage "choice".
 *  @return LLMNAS_INVALID_ARGUMENT (fewer than 3 demonstrations), LLMNAS_BUDGET_EXCEEDED (no prompt mode affordable
 *  and no cost model), LLMNAS_BAD_ANSWER (no validation gave figures and no cost model), LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_llmpp_choose(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                             const char *demos_json, const char *options_json,
                                             llmnas_progress_fn progress, void *user_data, char **out_json);

/** [EXPERIMENTAL] Asks the LLM for architectures that should beat the demonstrations within the budgets of
 *  `request_json` (formats.md "proposal request"; NULL: 10 proposals, no budget, 3 rounds) and judges every object
 *  of each answer: accepted when in the space, within budget and new; else rejected with its reason (formats.md
 *  "proposals"). @return LLMNAS_INVALID_ARGUMENT (no demonstration, a budget without a cost model), the request
 *  errors of llmnas_llmpp_predict (cached answers replay for free on the next call). */
LLMNAS_API llmnas_status llmnas_llm_propose(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                            const char *demos_json, const char *request_json, char **out_json);

/* ---- Metrics and the paper's evaluation protocol ---- */

/** Writes how `predicted` agrees with `truth` (1 to 100,000,000 finite values each; formats.md "metrics"): MAE,
 *  RMSE, Kendall tau-b (ties as scipy.stats.kendalltau), Spearman and Pearson; null where undefined. */
LLMNAS_API llmnas_status llmnas_metrics_compute(const double *predicted, const double *truth, size_t n,
                                                char **out_json);

/** Writes Kendall's tau-b of x and y (2 to 100,000,000 finite values each), NaN when one side is constant;
 *  O(n log n). */
LLMNAS_API llmnas_status llmnas_metrics_kendall_tau(const double *x, const double *y, size_t n, double *out_tau);

/** The evaluation of Jawahar et al. (2024) on `data_dir` (as data/llmpp-wmt): MAE and Kendall tau-b on each
 *  split's test architectures for LLM-PP (`llm` may be NULL), the supernets, the parameter line and LLM-Distill-PP
 *  (formats.md "protocol options", "protocol result"). @return LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE. */
LLMNAS_API llmnas_status llmnas_protocol_run(llmnas_llm *llm, const char *data_dir, const char *options_json,
                                             llmnas_progress_fn progress, void *user_data, char **out_json);

/* ---- MLP regressors: LLM-Distill-PP and latency predictors ---- */

/** A trained MLP regressor. Immutable: any number of threads may predict with one handle at once. */
typedef struct llmnas_mlp llmnas_mlp;

/** Trains an MLP on `n` rows (at least 2) of `dim` float32 features and their targets (`config_json`: formats.md
 *  "MLP config"; NULL for the paper's recipe). Deterministic for a seed and an OpenBLAS thread count. Progress
 *  stage "train", value the training loss. @return LLMNAS_MALFORMED_JSON, LLMNAS_CANCELLED (no model). */
LLMNAS_API llmnas_status llmnas_mlp_train(const char *config_json, const float *x, const float *y, size_t n, size_t dim,
                                          llmnas_progress_fn progress, void *user_data, llmnas_mlp **out_mlp);

/** Predicts `n` rows of `dim` features (the model's input count) into out[0 .. n), in bounded memory. */
LLMNAS_API llmnas_status llmnas_mlp_predict(const llmnas_mlp *mlp, const float *x, size_t n, size_t dim, float *out);

/** Writes the model to `path` (magic, format version, CRC-32) through a temporary file and a rename, so a crash
 *  leaves the old file or the new one. @return LLMNAS_IO_ERROR. */
LLMNAS_API llmnas_status llmnas_mlp_save(const llmnas_mlp *mlp, const char *path);

/** Reads a model written by llmnas_mlp_save. @return LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE. */
LLMNAS_API llmnas_status llmnas_mlp_load(const char *path, llmnas_mlp **out_mlp);

/** Writes the model's shape, standardisation and training record (formats.md "MLP info"). */
LLMNAS_API llmnas_status llmnas_mlp_info(const llmnas_mlp *mlp, char **out_json);

/** Releases a model. NULL is ignored. */
LLMNAS_API void llmnas_mlp_free(llmnas_mlp *mlp);

/** LLM-Distill-PP: labels `labels` architectures drawn by `seed` from the JSON Lines pool (architectures, or
 *  objects holding one as "architecture" or, in the paper's data, "arch") with LLM-PP and trains an MLP on them
 *  (config as llmnas_mlp_train's); report: formats.md "distillation report". @return LLMNAS_INVALID_ARGUMENT
 *  (labels < 2 or over the pool), LLMNAS_IO_ERROR, LLMNAS_BAD_ANSWER (under 2 usable labels), LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_llmpp_distill(llmnas_llm *llm, const llmnas_space *space, const char *task_json,
                                              const char *demos_json, const char *pool_path, size_t labels,
                                              uint64_t seed, const char *mlp_config_json, llmnas_progress_fn progress,
                                              void *user_data, llmnas_mlp **out_mlp, char **out_report_json);

/** Writes the built-in latency predictors' names as a JSON array, "<task>-<device>" (e.g. "wmt14ende-titanxp"). */
LLMNAS_API llmnas_status llmnas_latency_predictor_builtin_names(char **out_json);

/** A built-in latency predictor: an MLP from HAT's features to milliseconds, trained on HAT's measurements with
 *  HAT's recipe. @return LLMNAS_NOT_FOUND (the message lists the names). */
LLMNAS_API llmnas_status llmnas_latency_predictor_builtin(const char *name, llmnas_mlp **out_mlp);

/** Trains a latency predictor on measurements in HAT's CSV format (an 80/10/10 split by the config's seed; config
 *  as llmnas_mlp_train's, NULL for HAT's recipe); report: formats.md "latency report".
 *  @return LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE (missing columns, values not numbers), LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_latency_predictor_train(const char *csv_path, const char *config_json,
                                                        llmnas_progress_fn progress, void *user_data,
                                                        llmnas_mlp **out_mlp, char **out_report_json);

/* ---- HS-NAS: evolutionary search under constraints with a hybrid estimator schedule ---- */

/** A search: HAT's evolution with HS-NAS's schedule of estimators. One thread at a time; callbacks must not call
 *  back into the same search. */
typedef struct llmnas_search llmnas_search;

/** A host estimator: scores the `n` architectures of `candidates_json` into scores[0 .. n), in order, finite.
 *  0 goes on; nonzero stops the run with LLMNAS_CANCELLED, keeping every score told before. */
typedef int (*llmnas_score_fn)(const char *candidates_json, size_t n, double *scores, void *user_data);

/** A host estimator that also writes each score's spread (a standard deviation, finite, not negative). spreads
 *  comes filled with NaN; left all NaN, the batch is told without spreads. */
typedef int (*llmnas_score_spread_fn)(const char *candidates_json, size_t n, double *scores, double *spreads,
                                      void *user_data);

/** The llmnas_estimator layout of this header. Version 1 (0.2 to 0.6) ends at `user_data`. */
#define LLMNAS_ESTIMATOR_VERSION 2

/** A named host estimator for llmnas_search_run. Start from LLMNAS_ESTIMATOR_INIT; the library reads the array
 *  with the stride of its first record's version. Give `score` or `score_spread`, not both. */
typedef struct llmnas_estimator {
    unsigned int version;                 /**< LLMNAS_ESTIMATOR_VERSION of the header the caller compiled against. */
    const char *name;                     /**< The estimator's name in the search config. */
    llmnas_score_fn score;                /**< Its callback, scores only; or NULL. */
    void *user_data;                      /**< Passed to the callback. */
    llmnas_score_spread_fn score_spread;  /**< Version 2: its callback, scores and spreads; or NULL. */
} llmnas_estimator;

/** An llmnas_estimator with its version set and every other field empty. */
#define LLMNAS_ESTIMATOR_INIT {LLMNAS_ESTIMATOR_VERSION, NULL, NULL, NULL, NULL}

/** A host constraint's value for one architecture into *value; nonzero fails the step with LLMNAS_CANCELLED. */
typedef int (*llmnas_value_fn)(const char *arch_json, double *value, void *user_data);

/** The most iterations, and the largest population, a search config may ask for. */
#define LLMNAS_MAX_SEARCH_ITERATIONS 100000
#define LLMNAS_MAX_POPULATION 100000

/** Creates a search (formats.md "search config"; NULL: HAT's 125 x 30 with one host estimator "host"). Every
 *  candidate meets every constraint and is sent to an estimator once. @return LLMNAS_INVALID_ARGUMENT (naming the
 *  key), LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH, LLMNAS_NOT_FOUND, LLMNAS_UNSUPPORTED, LLMNAS_IO_ERROR. */
LLMNAS_API llmnas_status llmnas_search_create(const llmnas_space *space, const char *config_json,
                                              llmnas_search **out_search);

/** Continues a search from its checkpoint exactly as if it had never stopped, saving to `path` again; bind models,
 *  clients and callbacks again. @return LLMNAS_IO_ERROR, LLMNAS_CORRUPT_FILE (damaged, foreign or another format,
 *  0.x checkpoints included), llmnas_search_create's errors. */
LLMNAS_API llmnas_status llmnas_search_resume(const char *path, llmnas_search **out_search);

/** Binds `mlp` to the config's MLP estimator or latency constraint `name`. @return LLMNAS_NOT_FOUND,
 *  LLMNAS_INVALID_ARGUMENT (its input count is not the space's feature count). */
LLMNAS_API llmnas_status llmnas_search_bind_mlp(llmnas_search *search, const char *name, const llmnas_mlp *mlp);

/** Binds a client to the config's LLM estimator `name`; the search uses it during ask, tell and run, so nothing
 *  else may use it then. @return LLMNAS_NOT_FOUND. */
LLMNAS_API llmnas_status llmnas_search_bind_llm(llmnas_search *search, const char *name, llmnas_llm *llm);

/** Binds a callback to the config's host constraint `name`, called with each candidate. @return LLMNAS_NOT_FOUND. */
LLMNAS_API llmnas_status llmnas_search_bind_constraint(llmnas_search *search, const char *name, llmnas_value_fn fn,
                                                       void *user_data);

/** Binds a callback to the space's host cost `name`, as llmnas_space_with_cost does; a resumed search needs it
 *  again. @return LLMNAS_NOT_FOUND, LLMNAS_INVALID_ARGUMENT (fn NULL). */
LLMNAS_API llmnas_status llmnas_search_bind_cost(llmnas_search *search, const char *name, llmnas_cost_fn fn,
                                                 void *user_data);

/** Binds a callback to the space's featurizer `name`, as llmnas_space_with_featurizer does; a resumed search needs
 *  it again. @return LLMNAS_NOT_FOUND, LLMNAS_INVALID_ARGUMENT (fn NULL). */
LLMNAS_API llmnas_status llmnas_search_bind_featurizer(llmnas_search *search, const char *name,
                                                       llmnas_features_fn fn, void *user_data);

/** Runs built-in estimators and breeding, then writes the batch a host estimator must score and its name ("[]"
 *  and "" once finished); asked again before a tell, the same batch. @return LLMNAS_INVALID_ARGUMENT (unbound),
 *  LLMNAS_INFEASIBLE, LLMNAS_INCOMPLETE (LLM items failed; the rest kept), LLMNAS_CANCELLED, LLMNAS_IO_ERROR. */
LLMNAS_API llmnas_status llmnas_search_ask(llmnas_search *search, char **out_candidates_json,
                                           char **out_estimator_name);

/** Tells the scores of the last ask's candidates, in order; checkpointed before the search moves on.
 *  @return LLMNAS_INVALID_ARGUMENT (n not the count asked, a score not finite, nothing asked, the search
 *  finished; the search unchanged), then llmnas_search_ask's errors for the steps that follow. */
LLMNAS_API llmnas_status llmnas_search_tell(llmnas_search *search, const double *scores, size_t n);

/** llmnas_search_tell with each score's spread (finite, not negative; NULL for none), which the trials record and
 *  a cascade's "keep_uncertain" reads. @return llmnas_search_tell's, LLMNAS_INVALID_ARGUMENT (a bad spread). */
LLMNAS_API llmnas_status llmnas_search_tell_spread(llmnas_search *search, const double *scores, const double *spreads,
                                                   size_t n);

/** Runs the search to its end, scoring host estimators with the records of `estimators`, matched by name.
 *  Progress stage "search" after each iteration, value its best score; cancelled, the search can go on later.
 *  @return llmnas_search_ask's and llmnas_search_tell's errors, LLMNAS_INVALID_ARGUMENT (no record for a host
 *  estimator the schedule uses, a record with neither or both callbacks, an unknown version), LLMNAS_CANCELLED. */
LLMNAS_API llmnas_status llmnas_search_run(llmnas_search *search, const llmnas_estimator *estimators,
                                           size_t n_estimators, llmnas_progress_fn progress, void *user_data);

/** Writes the best architecture of the last finished iteration with its score, constraints and stats (formats.md
 *  "search best"). @return LLMNAS_NOT_FOUND (no iteration finished yet). */
LLMNAS_API llmnas_status llmnas_search_best(const llmnas_search *search, char **out_json);

/** Writes the progress and one record per finished iteration (formats.md "search history"). */
LLMNAS_API llmnas_status llmnas_search_history(const llmnas_search *search, char **out_json);

/** Writes every architecture an estimator scored, with its iteration, score, spread and constraints (formats.md
 *  "search trials"). */
LLMNAS_API llmnas_status llmnas_search_trials(const llmnas_search *search, char **out_json);

/** Writes the history to `path` atomically as "jsonl", "csv" or "html" (a standalone page with inline SVG).
 *  @return LLMNAS_INVALID_ARGUMENT (an unknown format), LLMNAS_IO_ERROR. */
LLMNAS_API llmnas_status llmnas_search_write_report(const llmnas_search *search, const char *path, const char *format);

/** Releases a search; its checkpoint file stays. NULL is ignored. */
LLMNAS_API void llmnas_search_free(llmnas_search *search);

/* ---- Whole-space screens driven by the host ---------------------------------------------------------------- */

/** A whole-space Gaussian-process screen for a host that keeps its own loop and state (an Optuna sampler, a C++
 *  framework's ask and tell): told every score so far, it proposes the best architectures not yet scored, as a
 *  search's whole-space cascade with a "gp" screen chooses them. It holds only what follows from its config, so
 *  processes told the same scores propose the same architectures. One thread at a time. */
typedef struct llmnas_screen llmnas_screen;

/** Creates a screen of `space` (formats.md "screen config"; NULL: seed 0, higher better) and draws its pool: the
 *  whole space when it has at most `sample` gene vectors, else a seeded sample. `prior` (may be NULL) is an MLP on
 *  the space's features whose predictions are the prior mean, as a "gp" screen's `prior`; the screen keeps its own
 *  reference. @return LLMNAS_INVALID_ARGUMENT (naming the key; a prior of another feature count),
 *  LLMNAS_MALFORMED_JSON. */
LLMNAS_API llmnas_status llmnas_screen_create(const llmnas_space *space, const char *config_json,
                                              const llmnas_mlp *prior, llmnas_screen **out_screen);

/** Writes the best `count` architectures of the pool that are neither scored nor excluded, best first (formats.md
 *  "screen proposals"; fewer, or none, when fewer are left). `scored_json` is every score so far in the order it
 *  came, `[{"architecture", "score"}, ...]` on the host's own scale (at most 10,000); a text that repeats the
 *  beginning of the previous call's, as a host appending scores sends, is read from where the two part.
 *  `excluded_json` (may be NULL) an array of architectures not to propose, e.g. those being evaluated.
 *  @return LLMNAS_INVALID_ARGUMENT (count 0, a score not finite), LLMNAS_MALFORMED_JSON, LLMNAS_INVALID_ARCH (naming
 *  the item). */
LLMNAS_API llmnas_status llmnas_screen_choose(llmnas_screen *screen, const char *scored_json,
                                              const char *excluded_json, size_t count, char **out_json);

/** Writes the screen's pool: `{"size", "enumerated"}` (formats.md "screen pool"). */
LLMNAS_API llmnas_status llmnas_screen_pool(const llmnas_screen *screen, char **out_json);

/** Releases a screen. NULL is ignored. */
LLMNAS_API void llmnas_screen_free(llmnas_screen *screen);

#ifdef __cplusplus
}
#endif

#endif /* LLMNAS_H */
