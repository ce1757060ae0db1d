// llmnas.hpp: a header-only C++17 wrapper of include/llmnas.h. Handles are move-only RAII objects; every failed
// call throws llmnas::Error carrying the status and the library's message. Strings cross as std::string (JSON
// text for architectures and spaces), numeric results as std::vector<float>.
#ifndef LLMNAS_HPP
#define LLMNAS_HPP

#include <llmnas.h>

#include <cstdint>
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

namespace detail {
/// Throws Error for any status other than LLMNAS_OK.
inline void check(llmnas_status status) {
    if (status != LLMNAS_OK) throw Error(status, llmnas_last_error());
}

/// Copies a library-owned string and frees it.
inline std::string take(char *text) {
    std::unique_ptr<char, void (*)(char *)> owner(text, llmnas_string_free);
    return text ? std::string(text) : std::string();
}
}  // namespace detail

/// The library's version, "MAJOR.MINOR.PATCH".
inline std::string version() { return llmnas_version_string(); }

/// A JSON array of the built-in spaces' names.
inline std::string builtin_space_names_json() {
    char *out = nullptr;
    detail::check(llmnas_space_builtin_names(&out));
    return detail::take(out);
}

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
        detail::check(llmnas_space_to_json(get(), &out));
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

    /// The features of a JSON array of architectures, row-major, feature_count() values per architecture.
    std::vector<float> features_batch(const std::string &archs_json) const {
        std::size_t rows = 0;
        llmnas_status status = llmnas_arch_features_batch(get(), archs_json.c_str(), nullptr, 0, &rows);
        if (status != LLMNAS_OK && status != LLMNAS_BUFFER_TOO_SMALL) detail::check(status);
        std::vector<float> out(rows * feature_count());
        detail::check(llmnas_arch_features_batch(get(), archs_json.c_str(), out.data(), out.size(), &rows));
        return out;
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

    /// The C handle, still owned by this object.
    const llmnas_space *get() const noexcept { return handle_.get(); }

private:
    explicit Space(llmnas_space *handle) : handle_(handle, llmnas_space_free) {}
    std::unique_ptr<llmnas_space, void (*)(llmnas_space *)> handle_;
};

}  // namespace llmnas

#endif  // LLMNAS_HPP
