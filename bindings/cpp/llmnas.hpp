// llmnas.hpp: a header-only C++17 wrapper of include/llmnas.h. Handles are move-only RAII objects; every failed
// call throws llmnas::Error carrying the status and the library's message. Strings cross as std::string (JSON
// text for architectures and spaces), numeric results as std::vector<float>.
#ifndef LLMNAS_HPP
#define LLMNAS_HPP

#include <llmnas.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmnas {

/// A failed call: the llmnas_status and the message of llmnas_last_error().
class Error : public std::runtime_error {
public:
    /// An error for `status` with the library's `message`.
    Error(llmnas_status status, const std::string &message) : std::runtime_error(message), status_(status) {}
    /// The status the C call returned.
    llmnas_status status() const noexcept { return status_; }

private:
    llmnas_status status_;
};

/// An architecture's cost as a host counts it: parameters and FLOPs (finite, not negative).
struct Cost {
    double params;  ///< Trainable parameters.
    double flops;   ///< FLOPs of one forward pass.
};

/// A host cost function: the cost of an architecture (JSON). What it throws reaches the caller of the call that
/// needed the cost, as itself.
using CostFunction = std::function<Cost(const std::string &arch_json)>;

/// A host featurizer: the features of an architecture (JSON), as many as the space's featurizer says. What it throws
/// reaches the caller of the call that needed the features, as itself.
using Featurizer = std::function<std::vector<float>(const std::string &arch_json)>;

namespace detail {
/// What a space's host function (a cost, a featurizer) threw on this thread, for the next check to rethrow (the
/// library calls one on the thread of the call that needs it).
inline std::exception_ptr &pending_host_exception() {
    thread_local std::exception_ptr pending;
    return pending;
}

/// Rethrows what a space's host function threw during the call; else throws Error for any status other than LLMNAS_OK.
inline void check(llmnas_status status) {
    std::exception_ptr pending = pending_host_exception();
    pending_host_exception() = nullptr;
    if (status == LLMNAS_OK) return;
    if (pending) std::rethrow_exception(pending);
    throw Error(status, llmnas_last_error());
}

/// The C callback of a host featurizer: `user_data` is the Featurizer.
inline int featurizer_trampoline(const char *arch_json, float *out, std::size_t count, void *user_data) {
    try {
        std::vector<float> features = (*static_cast<Featurizer *>(user_data))(arch_json);
        if (features.size() != count)
            throw Error(LLMNAS_INVALID_ARGUMENT, "the featurizer returned " + std::to_string(features.size()) +
                                                     " features; the space's featurizer has " + std::to_string(count));
        for (std::size_t i = 0; i < count; i++) out[i] = features[i];
        return 0;
    } catch (...) {
        pending_host_exception() = std::current_exception();
        return 1;
    }
}

/// The C callback of a host cost: `user_data` is the CostFunction.
inline int cost_trampoline(const char *arch_json, double *params, double *flops, void *user_data) {
    try {
        Cost cost = (*static_cast<CostFunction *>(user_data))(arch_json);
        *params = cost.params;
        *flops = cost.flops;
        return 0;
    } catch (...) {
        pending_host_exception() = std::current_exception();
        return 1;
    }
}

/// The number of elements of a JSON array the library wrote (compact, valid JSON, "[]" when empty): the commas at
/// depth one, outside strings, plus one.
inline std::size_t array_length(const std::string &json) {
    if (json.size() <= 2) return 0;
    std::size_t depth = 0, commas = 0;
    bool in_string = false, escaped = false;
    for (char c : json) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            depth--;
        } else if (c == ',' && depth == 1) {
            commas++;
        }
    }
    return commas + 1;
}

/// Copies a library-owned string and frees it.
inline std::string take(char *text) {
    std::unique_ptr<char, void (*)(char *)> owner(text, llmnas_string_free);
    return text ? std::string(text) : std::string();
}
}  // namespace detail

/// The library's version, "MAJOR.MINOR.PATCH".
inline std::string version() { return llmnas_version_string(); }

/// The ABI generation of the loaded library; LLMNAS_ABI_VERSION when header and library agree.
inline int abi_version() { return llmnas_abi_version(); }

/// "NAME: meaning" of a status code.
inline std::string status_string(llmnas_status status) { return llmnas_status_string(status); }

/// A JSON array of the built-in spaces' names.
inline std::string builtin_space_names_json() {
    char *out = nullptr;
    detail::check(llmnas_space_builtin_names(&out));
    return detail::take(out);
}

class LLM;
class MLP;
class Space;
MLP distill_llmpp(LLM &, const Space &, const std::string &, const std::string &, std::size_t, std::uint64_t,
                  const std::string &, const std::string &, std::string *);

/// A search space (an llmnas_space handle). Immutable: one Space may be used from several threads at once.
class Space {
public:
    /// The built-in space `name` (e.g. "hat-wmt14ende", "nas-bench-graph").
    static Space builtin(const std::string &name) {
        llmnas_space *handle = nullptr;
        detail::check(llmnas_space_builtin(name.c_str(), &handle));
        return Space(handle);
    }

    /// The space defined by JSON text (the format of to_json()).
    static Space from_json(const std::string &json) {
        llmnas_space *handle = nullptr;
        detail::check(llmnas_space_from_json(json.c_str(), &handle));
        return Space(handle);
    }

    /// The space's definition as JSON.
    std::string to_json() const {
        char *out = nullptr;
        detail::check(llmnas_space_serialize(get(), &out));
        return detail::take(out);
    }

    /// How many features each architecture has.
    std::size_t feature_count() const {
        std::size_t count = 0;
        detail::check(llmnas_space_feature_count(get(), &count));
        return count;
    }

    /// `count` architectures drawn under the constraints, as a JSON array; fixed by `seed`.
    std::string sample(std::uint64_t seed, std::size_t count) const {
        char *out = nullptr;
        detail::check(llmnas_space_sample(get(), seed, count, &out));
        return detail::take(out);
    }

    /// Throws Error (LLMNAS_INVALID_ARCH and others) unless `arch_json` is an architecture of the space.
    void validate(const std::string &arch_json) const { detail::check(llmnas_arch_validate(get(), arch_json.c_str())); }

    /// The architecture's features.
    std::vector<float> features(const std::string &arch_json) const {
        std::vector<float> out(feature_count());
        std::size_t length = 0;
        detail::check(llmnas_arch_features(get(), arch_json.c_str(), out.data(), out.size(), &length));
        out.resize(length);
        return out;
    }

    /// The names of the features, as a JSON array, in the order features() writes them.
    std::string feature_names_json() const {
        char *out = nullptr;
        detail::check(llmnas_space_feature_names(get(), &out));
        return detail::take(out);
    }

    /// The features of a JSON array of architectures, row-major, feature_count() values per architecture.
    std::vector<float> features_batch(const std::string &archs_json) const {
        std::size_t rows = 0;
        llmnas_status status = llmnas_arch_features_batch(get(), archs_json.c_str(), nullptr, 0, &rows);
        if (status != LLMNAS_OK && status != LLMNAS_BUFFER_TOO_SMALL) detail::check(status);
        std::vector<float> out(rows * feature_count());
        detail::check(llmnas_arch_features_batch(get(), archs_json.c_str(), out.data(), out.size(), &rows));
        return out;
    }

    /// The features of a JSON array of architectures written into a caller-owned buffer of `capacity` floats
    /// (row-major, feature_count() per architecture), without a copy; returns the number of rows. Throws Error with
    /// LLMNAS_BUFFER_TOO_SMALL when the buffer cannot hold them.
    std::size_t features_batch(const std::string &archs_json, float *out, std::size_t capacity) const {
        std::size_t rows = 0;
        detail::check(llmnas_arch_features_batch(get(), archs_json.c_str(), out, capacity, &rows));
        return rows;
    }

    /// HAT's mutation of `arch_json`: each gene redrawn with `probability`.
    std::string mutate(const std::string &arch_json, double probability, std::uint64_t seed) const {
        char *out = nullptr;
        detail::check(llmnas_arch_mutate(get(), arch_json.c_str(), probability, seed, &out));
        return detail::take(out);
    }

    /// HAT's crossover: each gene from `a_json` or `b_json`.
    std::string crossover(const std::string &a_json, const std::string &b_json, std::uint64_t seed) const {
        char *out = nullptr;
        detail::check(llmnas_arch_crossover(get(), a_json.c_str(), b_json.c_str(), seed, &out));
        return detail::take(out);
    }

    /// Parameters and FLOPs as JSON (spaces with a cost model).
    std::string stats(const std::string &arch_json) const {
        char *out = nullptr;
        detail::check(llmnas_arch_stats(get(), arch_json.c_str(), &out));
        return detail::take(out);
    }

    /// This space with its host cost model `name` (cost_model {"kind": "host", "name": ...}) bound to `cost`, which
    /// stats, constraints, proposals, validation and prompts then call; this space is unchanged.
    Space with_cost(const std::string &name, CostFunction cost) const {
        auto function = std::make_shared<CostFunction>(std::move(cost));
        llmnas_space *handle = nullptr;
        detail::check(llmnas_space_with_cost(get(), name.c_str(), &detail::cost_trampoline, function.get(), &handle));
        Space bound(handle);
        bound.bound_ = bound_;
        bound.bound_.push_back(std::move(function));
        return bound;
    }

    /// This space with its featurizer `name` ("featurizer": {"name": ..., "count": n}) bound to `featurizer`, whose
    /// features every MLP predictor, screen, refit and features() then reads; this space is unchanged.
    Space with_featurizer(const std::string &name, Featurizer featurizer) const {
        auto function = std::make_shared<Featurizer>(std::move(featurizer));
        llmnas_space *handle = nullptr;
        detail::check(
            llmnas_space_with_featurizer(get(), name.c_str(), &detail::featurizer_trampoline, function.get(), &handle));
        Space bound(handle);
        bound.bound_ = bound_;
        bound.bound_.push_back(std::move(function));
        return bound;
    }

    /// The C handle, still owned by this object.
    const llmnas_space *get() const noexcept { return handle_.get(); }

private:
    explicit Space(llmnas_space *handle) : handle_(handle, llmnas_space_free) {}
    std::unique_ptr<llmnas_space, void (*)(llmnas_space *)> handle_;
    std::vector<std::shared_ptr<void>> bound_;  // the bound host functions, which searches of this space share
    friend class Search;
};

/// The LLM-PP prompt for `arch_json` given `demos_json`, as a JSON array of messages (task and options may be empty).
inline std::string build_prompt(const Space &space, const std::string &arch_json, const std::string &demos_json,
                                const std::string &task_json = "", const std::string &options_json = "") {
    char *out = nullptr;
    detail::check(llmnas_prompt_build(space.get(), task_json.empty() ? nullptr : task_json.c_str(), demos_json.c_str(),
                                      arch_json.c_str(), options_json.empty() ? nullptr : options_json.c_str(), &out));
    return detail::take(out);
}

/// MAE, RMSE, Kendall tau-b, Spearman and Pearson as JSON.
inline std::string metrics(const std::vector<double> &predicted, const std::vector<double> &truth) {
    if (predicted.size() != truth.size()) throw Error(LLMNAS_INVALID_ARGUMENT, "predicted and truth differ in length");
    char *out = nullptr;
    detail::check(llmnas_metrics_compute(predicted.data(), truth.data(), predicted.size(), &out));
    return detail::take(out);
}

/// Kendall's tau-b of `n` values at `x` and at `y`, without a copy.
inline double kendall_tau(const double *x, const double *y, std::size_t n) {
    double tau = 0;
    detail::check(llmnas_metrics_kendall_tau(x, y, n, &tau));
    return tau;
}

/// Kendall's tau-b.
inline double kendall_tau(const std::vector<double> &x, const std::vector<double> &y) {
    if (x.size() != y.size()) throw Error(LLMNAS_INVALID_ARGUMENT, "x and y differ in length");
    double tau = 0;
    detail::check(llmnas_metrics_kendall_tau(x.data(), y.data(), x.size(), &tau));
    return tau;
}

/// A client of an OpenAI-compatible endpoint (an llmnas_llm handle). Use one from one thread at a time.
class LLM {
public:
    /// A client for `config_json` (see llmnas_llm_create).
    explicit LLM(const std::string &config_json) : handle_(nullptr, llmnas_llm_free) {
        llmnas_llm *handle = nullptr;
        detail::check(llmnas_llm_create(config_json.c_str(), &handle));
        handle_.reset(handle);
    }

    /// The usage ledger as JSON.
    std::string usage_json() const {
        char *out = nullptr;
        detail::check(llmnas_llm_usage(handle_.get(), &out));
        return detail::take(out);
    }

    /// LLM-PP scores of a JSON array of `n` architectures; failed items are NaN with their status in `statuses`
    /// (LLMNAS_INCOMPLETE is not thrown: read the statuses).
    std::vector<double> predict(const Space &space, const std::string &archs_json, std::size_t n,
                                const std::string &demos_json, std::vector<llmnas_status> *statuses = nullptr,
                                const std::string &task_json = "") {
        std::vector<double> scores(n);
        std::vector<llmnas_status> items(n);
        llmnas_status status = llmnas_llmpp_predict(handle_.get(), space.get(),
                                                    task_json.empty() ? nullptr : task_json.c_str(), demos_json.c_str(),
                                                    archs_json.c_str(), scores.data(), items.data(), n, nullptr, nullptr);
        if (status != LLMNAS_INCOMPLETE) detail::check(status);
        if (statuses) *statuses = items;
        return scores;
    }

    /// One item's LLM-PP score with its spread over the samples (NaN for a failed item).
    struct Spread {
        double score, stddev, low, high;
        llmnas_status status;
    };

    /// predict() with each item's standard deviation and range over its "n" samples.
    std::vector<Spread> predict_spread(const Space &space, const std::string &archs_json, std::size_t n,
                                       const std::string &demos_json, const std::string &task_json = "") {
        std::vector<double> scores(n), stddevs(n), lows(n), highs(n);
        std::vector<llmnas_status> items(n);
        llmnas_status status = llmnas_llmpp_predict_spread(
            handle_.get(), space.get(), task_json.empty() ? nullptr : task_json.c_str(), demos_json.c_str(),
            archs_json.c_str(), scores.data(), stddevs.data(), lows.data(), highs.data(), items.data(), n, nullptr, nullptr);
        if (status != LLMNAS_INCOMPLETE) detail::check(status);
        std::vector<Spread> spreads;
        for (std::size_t i = 0; i < n; ++i) spreads.push_back({scores[i], stddevs[i], lows[i], highs[i], items[i]});
        return spreads;
    }

    /// What predict() with these arguments would send and cost now, before anything is sent: JSON ("estimate" in
    /// docs/formats.md).
    std::string estimate_json(const Space &space, const std::string &archs_json, std::size_t n,
                              const std::string &demos_json, const std::string &task_json = "") {
        char *out = nullptr;
        detail::check(llmnas_llmpp_estimate(handle_.get(), space.get(), task_json.empty() ? nullptr : task_json.c_str(),
                                            demos_json.c_str(), archs_json.c_str(), n, &out));
        return detail::take(out);
    }

    /// Architectures the LLM proposes that should score better than `demos_json`, within the budgets of
    /// `request_json` ("proposal request" in docs/formats.md; empty: 10 proposals, no budget): JSON ("proposals"),
    /// the accepted architectures and every rejection with its reason.
    std::string propose_json(const Space &space, const std::string &demos_json, const std::string &request_json = "",
                             const std::string &task_json = "") {
        char *out = nullptr;
        detail::check(llmnas_llm_propose(handle_.get(), space.get(), task_json.empty() ? nullptr : task_json.c_str(),
                                         demos_json.c_str(), request_json.empty() ? nullptr : request_json.c_str(), &out));
        return detail::take(out);
    }

    /// How good LLM-PP is on `demos_json` (at least 3): each demonstration predicted from the others by LLM-PP,
    /// calibrated LLM-PP, the cost baselines and the combined predictor, with bootstrap intervals: JSON ("validation" in docs/formats.md;
    /// `options_json` as "validation options", empty for leave-one-out).
    std::string validate_json(const Space &space, const std::string &demos_json, const std::string &options_json = "",
                              const std::string &task_json = "") {
        char *out = nullptr;
        detail::check(llmnas_llmpp_validate(handle_.get(), space.get(), task_json.empty() ? nullptr : task_json.c_str(),
                                            demos_json.c_str(), options_json.empty() ? nullptr : options_json.c_str(),
                                            nullptr, nullptr, &out));
        return detail::take(out);
    }

    /// Chooses the prompt mode and predictor of least cross-validated MAE on `demos_json` (at least 3) within
    /// `options_json`'s "max_requests": JSON ("choice" in docs/formats.md; its "task_options" make predict() the
    /// chosen predictor; `options_json` as "choice options", empty for the defaults).
    std::string choose_json(const Space &space, const std::string &demos_json, const std::string &options_json = "",
                            const std::string &task_json = "") {
        char *out = nullptr;
        detail::check(llmnas_llmpp_choose(handle_.get(), space.get(), task_json.empty() ? nullptr : task_json.c_str(),
                                          demos_json.c_str(), options_json.empty() ? nullptr : options_json.c_str(),
                                          nullptr, nullptr, &out));
        return detail::take(out);
    }

    /// The C handle, still owned by this object.
    llmnas_llm *get() const noexcept { return handle_.get(); }

private:
    std::unique_ptr<llmnas_llm, void (*)(llmnas_llm *)> handle_;
};

/// The paper's protocol over `data_dir` (baselines only when `llm` is null), as JSON.
inline std::string eval_paper_protocol(const std::string &data_dir, const LLM *llm = nullptr,
                                       const std::string &options_json = "") {
    char *out = nullptr;
    detail::check(llmnas_protocol_run(llm ? llm->get() : nullptr, data_dir.c_str(),
                                             options_json.empty() ? nullptr : options_json.c_str(), nullptr, nullptr,
                                             &out));
    return detail::take(out);
}

/// A trained MLP regressor (an llmnas_mlp handle). Immutable: one model may predict from several threads.
class MLP {
public:
    /// Trains on `rows` rows of `dim` features (row-major) and their targets (see llmnas_mlp_train).
    static MLP train(const std::string &config_json, const std::vector<float> &x, const std::vector<float> &y,
                     std::size_t dim) {
        if (dim == 0 || x.size() != y.size() * dim) throw Error(LLMNAS_INVALID_ARGUMENT, "x must hold y.size() rows of dim");
        llmnas_mlp *handle = nullptr;
        detail::check(llmnas_mlp_train(config_json.c_str(), x.data(), y.data(), y.size(), dim, nullptr, nullptr, &handle));
        return MLP(handle);
    }

    /// Reads a model file.
    static MLP load(const std::string &path) {
        llmnas_mlp *handle = nullptr;
        detail::check(llmnas_mlp_load(path.c_str(), &handle));
        return MLP(handle);
    }

    /// A built-in latency predictor, e.g. "wmt14ende-titanxp".
    static MLP latency_predictor(const std::string &name) {
        llmnas_mlp *handle = nullptr;
        detail::check(llmnas_latency_predictor_builtin(name.c_str(), &handle));
        return MLP(handle);
    }

    /// Trains on `n` rows of `dim` features at `x` (row-major) and their `n` targets at `y`, a framework's own
    /// buffers, without a copy.
    static MLP train(const std::string &config_json, const float *x, const float *y, std::size_t n, std::size_t dim) {
        llmnas_mlp *handle = nullptr;
        detail::check(llmnas_mlp_train(config_json.c_str(), x, y, n, dim, nullptr, nullptr, &handle));
        return MLP(handle);
    }

    /// Predicts `n` rows of `dim` features at `x` into the caller's `out[0 .. n)`, without a copy.
    void predict(const float *x, std::size_t n, std::size_t dim, float *out) const {
        detail::check(llmnas_mlp_predict(handle_.get(), x, n, dim, out));
    }

    /// Predictions for rows of `dim` features (row-major).
    std::vector<float> predict(const std::vector<float> &x, std::size_t dim) const {
        if (dim == 0 || x.size() % dim != 0) throw Error(LLMNAS_INVALID_ARGUMENT, "x must hold whole rows of dim");
        std::vector<float> out(x.size() / dim);
        detail::check(llmnas_mlp_predict(handle_.get(), x.data(), out.size(), dim, out.data()));
        return out;
    }

    /// Writes the model to `path`, atomically.
    void save(const std::string &path) const { detail::check(llmnas_mlp_save(handle_.get(), path.c_str())); }

    /// Sizes, parameters, standardisation and training record as JSON.
    std::string info_json() const {
        char *out = nullptr;
        detail::check(llmnas_mlp_info(handle_.get(), &out));
        return detail::take(out);
    }

    /// Trains a latency predictor on a measured data set in HAT's CSV format (see llmnas_latency_predictor_train;
    /// "" for HAT's recipe); the validation and test errors go to `report_json` when it is given.
    static MLP train_latency_predictor(const std::string &csv_path, const std::string &config_json = "",
                                       std::string *report_json = nullptr) {
        llmnas_mlp *handle = nullptr;
        char *report = nullptr;
        detail::check(llmnas_latency_predictor_train(csv_path.c_str(), config_json.empty() ? nullptr : config_json.c_str(),
                                                     nullptr, nullptr, &handle, &report));
        std::string text = detail::take(report);
        if (report_json) *report_json = text;
        return MLP(handle);
    }

    /// The C handle, still owned by this object.
    const llmnas_mlp *get() const noexcept { return handle_.get(); }

private:
    explicit MLP(llmnas_mlp *handle) : handle_(handle, llmnas_mlp_free) {}
    std::unique_ptr<llmnas_mlp, void (*)(llmnas_mlp *)> handle_;
    friend MLP distill_llmpp(LLM &, const Space &, const std::string &, const std::string &, std::size_t, std::uint64_t,
                             const std::string &, const std::string &, std::string *);
};

/// A JSON array of the built-in latency predictors' names.
inline std::string latency_predictor_names_json() {
    char *out = nullptr;
    detail::check(llmnas_latency_predictor_builtin_names(&out));
    return detail::take(out);
}

/// LLM-Distill-PP (see llmnas_llmpp_distill): `labels` architectures of the JSON Lines pool at `pool_path`
/// labelled by LLM-PP and an MLP trained on them ("" configs for the defaults); what the labels cost goes to
/// `report_json` when it is given.
inline MLP distill_llmpp(LLM &llm, const Space &space, const std::string &demos_json, const std::string &pool_path,
                         std::size_t labels, std::uint64_t seed, const std::string &task_json = "",
                         const std::string &mlp_config_json = "", std::string *report_json = nullptr) {
    llmnas_mlp *handle = nullptr;
    char *report = nullptr;
    detail::check(llmnas_llmpp_distill(llm.get(), space.get(), task_json.empty() ? nullptr : task_json.c_str(),
                                       demos_json.c_str(), pool_path.c_str(), labels, seed,
                                       mlp_config_json.empty() ? nullptr : mlp_config_json.c_str(), nullptr, nullptr,
                                       &handle, &report));
    std::string text = detail::take(report);
    if (report_json) *report_json = text;
    return MLP(handle);
}

/// A whole-space screen a host drives from its own loop (an llmnas_screen handle): told every score so far, it
/// proposes the best architectures not yet scored. One thread at a time.
class Screen {
public:
    /// A screen of `space` configured by `config_json` (see llmnas_screen_create; "" for the defaults), with the
    /// prior mean of `prior` when it is given.
    Screen(const Space &space, const std::string &config_json = "", const MLP *prior = nullptr)
        : handle_(nullptr, llmnas_screen_free) {
        llmnas_screen *handle = nullptr;
        detail::check(llmnas_screen_create(space.get(), config_json.empty() ? nullptr : config_json.c_str(),
                                           prior ? prior->get() : nullptr, &handle));
        handle_.reset(handle);
    }

    /// The best `count` architectures neither in `scored_json` (every score so far, in order) nor in
    /// `excluded_json` ("" for none), best first, as a JSON array of {"architecture", "score", "spread"}.
    std::string choose(const std::string &scored_json, std::size_t count, const std::string &excluded_json = "") {
        char *out = nullptr;
        detail::check(llmnas_screen_choose(handle_.get(), scored_json.c_str(),
                                           excluded_json.empty() ? nullptr : excluded_json.c_str(), count, &out));
        return detail::take(out);
    }

    /// The pool's size and whether it is the whole space, as JSON.
    std::string pool_json() const {
        char *out = nullptr;
        detail::check(llmnas_screen_pool(handle_.get(), &out));
        return detail::take(out);
    }

    /// The C handle, still owned by this object.
    llmnas_screen *get() const noexcept { return handle_.get(); }

private:
    std::unique_ptr<llmnas_screen, void (*)(llmnas_screen *)> handle_;
};

/// An HS-NAS search (an llmnas_search handle): ask for candidates, tell their scores. One thread at a time.
class Search {
public:
    /// A search of `space` configured by `config_json` (see llmnas_search_create; "" for HAT's defaults).
    Search(const Space &space, const std::string &config_json) : handle_(nullptr, llmnas_search_free) {
        llmnas_search *handle = nullptr;
        detail::check(llmnas_search_create(space.get(), config_json.empty() ? nullptr : config_json.c_str(), &handle));
        handle_.reset(handle);
        state_->bound = space.bound_;
    }

    /// The search saved in the checkpoint file `path`, exactly where it stood.
    static Search resume(const std::string &path) {
        llmnas_search *handle = nullptr;
        detail::check(llmnas_search_resume(path.c_str(), &handle));
        return Search(handle);
    }

    /// A host estimator for run(): scores the candidates (a JSON array of `n` architectures) in their order.
    using Estimator = std::function<std::vector<double>(const std::string &candidates_json, std::size_t n)>;
    /// What a SpreadEstimator returns: a score per candidate and how uncertain each is (a standard deviation, not
    /// negative), which the trials record and a cascade's "keep_uncertain" reads.
    struct Scored {
        std::vector<double> scores;   ///< One per candidate, in order.
        std::vector<double> spreads;  ///< One per score.
    };
    /// A host estimator for run() that tells each score's spread.
    using SpreadEstimator = std::function<Scored(const std::string &candidates_json, std::size_t n)>;
    /// A host constraint's value for one architecture (JSON).
    using Constraint = std::function<double(const std::string &arch_json)>;

    /// Binds a model to the config's MLP estimator or latency constraint `name`.
    void bind_mlp(const std::string &name, const MLP &mlp) { detail::check(llmnas_search_bind_mlp(get(), name.c_str(), mlp.get())); }

    /// Binds a client to the config's LLM estimator `name`; the search keeps its own reference and uses the client
    /// during ask, tell and run.
    void bind_llm(const std::string &name, LLM &llm) { detail::check(llmnas_search_bind_llm(get(), name.c_str(), llm.get())); }

    /// Binds `constraint` to the config's host constraint `name`. An exception it throws stops the step and is
    /// rethrown, as itself, by the ask or run that called it.
    void bind_constraint(const std::string &name, Constraint constraint) {
        auto binding = std::make_unique<Callback<Constraint>>(Callback<Constraint>{state_.get(), std::move(constraint)});
        detail::check(llmnas_search_bind_constraint(get(), name.c_str(), &Search::value_trampoline, binding.get()));
        state_->constraints[name] = std::move(binding);
    }

    /// Binds `cost` to the space's host cost `name` (a resumed search needs it again). What it throws is rethrown,
    /// as itself, by the ask or run that called it.
    void bind_cost(const std::string &name, CostFunction cost) {
        auto function = std::make_shared<CostFunction>(std::move(cost));
        detail::check(llmnas_search_bind_cost(get(), name.c_str(), &detail::cost_trampoline, function.get()));
        state_->bound.push_back(std::move(function));
    }

    /// Binds `featurizer` to the space's featurizer `name` (a resumed search needs it again). What it throws is
    /// rethrown, as itself, by the ask or run that called it.
    void bind_featurizer(const std::string &name, Featurizer featurizer) {
        auto function = std::make_shared<Featurizer>(std::move(featurizer));
        detail::check(
            llmnas_search_bind_featurizer(get(), name.c_str(), &detail::featurizer_trampoline, function.get()));
        state_->bound.push_back(std::move(function));
    }

    /// The candidates (a JSON array) the current iteration needs from the estimator named in `estimator`; "[]" once
    /// the search is finished.
    std::string ask(std::string *estimator = nullptr) {
        char *candidates = nullptr, *name = nullptr;
        finish(llmnas_search_ask(get(), &candidates, &name));
        std::string text = detail::take(candidates), who = detail::take(name);
        if (estimator) *estimator = who;
        return text;
    }

    /// What one ask hands out: the candidates (a JSON array), how many there are, and the estimator to score them.
    struct Batch {
        std::string candidates_json;  ///< The architectures, "[]" once the search is finished.
        std::size_t count = 0;        ///< How many: the number of scores the tell takes.
        std::string estimator;        ///< The host estimator's name, "" once finished.
    };

    /// The next batch: the candidates, their count and their estimator.
    Batch ask_batch() {
        Batch batch;
        batch.candidates_json = ask(&batch.estimator);
        batch.count = detail::array_length(batch.candidates_json);
        return batch;
    }

    /// The scores of the last ask's candidates, in its order.
    void tell(const std::vector<double> &scores) { tell(scores.data(), scores.size()); }

    /// The `n` scores at `scores` (a framework's own buffer), in the last ask's order.
    void tell(const double *scores, std::size_t n) { finish(llmnas_search_tell(get(), scores, n)); }

    /// The scores of the last ask's candidates with how uncertain each is (a standard deviation, not negative),
    /// which the trials record and a cascade's "keep_uncertain" reads. Throws Error (INVALID_ARGUMENT) when the
    /// two lengths differ.
    void tell(const std::vector<double> &scores, const std::vector<double> &spreads) {
        if (spreads.size() != scores.size())
            throw Error(LLMNAS_INVALID_ARGUMENT, "tell got " + std::to_string(spreads.size()) + " spreads for " +
                                                     std::to_string(scores.size()) + " scores");
        finish(llmnas_search_tell_spread(get(), scores.data(), spreads.data(), scores.size()));
    }

    /// Runs the search to its end, scoring each host estimator the schedule uses with its entry of `estimators`
    /// (by name). An exception an estimator or constraint throws stops the run, keeping every score told before,
    /// and is rethrown as itself; the search can go on later.
    void run(const std::map<std::string, Estimator> &estimators) {
        std::map<std::string, SpreadEstimator> adapted;
        for (const auto &entry : estimators) {
            Estimator scores = entry.second;
            adapted[entry.first] = [scores](const std::string &candidates_json, std::size_t n) {
                return Scored{scores(candidates_json, n), {}};
            };
        }
        run(adapted);
    }

    /// As run(), with estimators that tell each score's spread (an empty `spreads` tells none).
    void run(const std::map<std::string, SpreadEstimator> &estimators) {
        std::vector<Callback<SpreadEstimator>> callbacks;
        callbacks.reserve(estimators.size());
        std::vector<llmnas_estimator> records;
        for (const auto &entry : estimators) {
            callbacks.push_back(Callback<SpreadEstimator>{state_.get(), entry.second});
            llmnas_estimator record = LLMNAS_ESTIMATOR_INIT;
            record.name = entry.first.c_str();
            record.score_spread = &Search::score_trampoline;
            record.user_data = &callbacks.back();
            records.push_back(record);
        }
        finish(llmnas_search_run(get(), records.data(), records.size(), nullptr, nullptr));
    }

    /// The best architecture so far, with its score, constraint values and stats, as JSON.
    std::string best_json() const {
        char *out = nullptr;
        detail::check(llmnas_search_best(get(), &out));
        return detail::take(out);
    }

    /// Progress, estimator calls and one record per finished iteration, as JSON.
    std::string history_json() const {
        char *out = nullptr;
        detail::check(llmnas_search_history(get(), &out));
        return detail::take(out);
    }

    /// Every architecture any estimator scored, with its iteration, score, constraints and parent flag, as JSON.
    std::string trials_json() const {
        char *out = nullptr;
        detail::check(llmnas_search_trials(get(), &out));
        return detail::take(out);
    }

    /// Writes the history to `path` as "jsonl", "csv" or "html".
    void write_report(const std::string &path, const std::string &format = "html") const {
        detail::check(llmnas_search_write_report(get(), path.c_str(), format.c_str()));
    }

    /// The C handle, still owned by this object.
    llmnas_search *get() const noexcept { return handle_.get(); }

private:
    struct State;

    /// A host function and the search state that keeps what it throws, as a C callback's user data.
    template <typename Function>
    struct Callback {
        State *state;
        Function function;
    };

    /// The bound constraints (the C side keeps pointers to them) and the exception a callback caught, to rethrow.
    struct State {
        std::map<std::string, std::unique_ptr<Callback<Constraint>>> constraints;
        std::vector<std::shared_ptr<void>> bound;  // host costs and featurizers the C side points to
        std::exception_ptr pending;
    };

    explicit Search(llmnas_search *handle) : handle_(handle, llmnas_search_free) {}

    /// Rethrows what a callback threw during the call, else throws for a failed status.
    void finish(llmnas_status status) {
        if (state_->pending) {
            std::exception_ptr pending = state_->pending;
            state_->pending = nullptr;
            std::rethrow_exception(pending);
        }
        detail::check(status);
    }

    static int value_trampoline(const char *arch_json, double *value, void *user_data) {
        auto *callback = static_cast<Callback<Constraint> *>(user_data);
        try {
            *value = callback->function(arch_json);
            return 0;
        } catch (...) {
            callback->state->pending = std::current_exception();
            return 1;
        }
    }

    static int score_trampoline(const char *candidates_json, std::size_t n, double *scores, double *spreads,
                                void *user_data) {
        auto *callback = static_cast<Callback<SpreadEstimator> *>(user_data);
        try {
            Scored result = callback->function(candidates_json, n);
            if (result.scores.size() != n || (!result.spreads.empty() && result.spreads.size() != n))
                throw Error(LLMNAS_INVALID_ARGUMENT, "a host estimator returned the wrong number of scores or spreads");
            for (std::size_t i = 0; i < n; i++) scores[i] = result.scores[i];
            for (std::size_t i = 0; i < result.spreads.size(); i++) spreads[i] = result.spreads[i];
            return 0;
        } catch (...) {
            callback->state->pending = std::current_exception();
            return 1;
        }
    }

    std::unique_ptr<llmnas_search, void (*)(llmnas_search *)> handle_;
    std::unique_ptr<State> state_ = std::make_unique<State>();
};

}  // namespace llmnas

#endif  // LLMNAS_HPP
