// test_llmnas.cpp: checks of the C++ wrapper, run by `make test`. Prints "N passed, M failed" and exits non-zero on
// any failure.
#include <llmnas.hpp>

#include <cstdio>
#include <string>
#include <utility>

static int passed = 0, failed = 0;

static void expect(bool condition, const char *what) {
    if (condition) {
        passed++;
    } else {
        failed++;
        std::printf("FAILED: %s\n", what);
    }
}

template <typename F>
static llmnas_status status_of(F &&call) {
    try {
        call();
    } catch (const llmnas::Error &e) {
        return e.status();
    }
    return LLMNAS_OK;
}

int main() {
    const std::string a00 =
        R"({"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,1024,2048,2048,2048,1024],)"
        R"("encoder_self_attention_heads":[4,4,4,8,4,4],"decoder_embed_dim":640,"decoder_layer_num":1,)"
        R"("decoder_ffn_embed_dim":[3072],"decoder_self_attention_heads":[8],"decoder_ende_attention_heads":[4],)"
        R"("decoder_arbitrary_ende_attn":[2]})";
    auto space = llmnas::Space::builtin("hat-wmt14ende");
    expect(space.feature_count() == 10, "HAT spaces have 10 features");
    auto features = space.features(a00);
    expect(features.size() == 10 && features[0] == 512.0f && features[6] == 3072.0f, "features of a00");
    expect(space.stats(a00).find("\"params\":22199936") != std::string::npos, "params of a00");
    expect(space.mutate(a00, 0.0, 1) == a00, "mutation with probability 0 is the identity");
    expect(space.sample(5, 3) == space.sample(5, 3), "sampling is fixed by the seed");
    expect(space.features_batch(space.sample(5, 3)).size() == 30, "batch features: 3 rows of 10");
    expect(space.features_batch("[]").empty(), "batch features of no architecture");

    auto copy = llmnas::Space::from_json(space.to_json());
    expect(copy.to_json() == space.to_json(), "a space survives JSON");
    auto moved = std::move(copy);
    expect(moved.get() != nullptr && copy.get() == nullptr, "a moved space owns the handle");

    expect(status_of([&] { space.validate("{}"); }) == LLMNAS_INVALID_ARCH, "empty architecture");
    expect(status_of([&] { space.validate("{"); }) == LLMNAS_MALFORMED_JSON, "malformed JSON");
    expect(status_of([&] { space.mutate(a00, 2.0, 1); }) == LLMNAS_INVALID_ARGUMENT, "probability above 1");
    expect(status_of([] { llmnas::Space::builtin("nope"); }) == LLMNAS_NOT_FOUND, "unknown space");
    expect(status_of([] { llmnas::Space::from_json("{}"); }) == LLMNAS_INVALID_SPACE, "empty space");
    auto graph = llmnas::Space::builtin("nas-bench-graph");
    expect(status_of([&] { graph.stats(R"({"link":"0-0-0-0","ops":["gcn","gcn","gcn","gcn"]})"); }) ==
               LLMNAS_UNSUPPORTED, "no cost model for nas-bench-graph");
    try {
        space.validate(R"({"encoder_embed_dim": 700})");
    } catch (const llmnas::Error &e) {
        expect(std::string(e.what()).find("700") != std::string::npos, "the message names the value");
    }

    std::printf("llmnas.hpp: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
