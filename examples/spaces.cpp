// spaces.cpp: the C example spaces.c through the header-only C++17 wrapper bindings/cpp/llmnas.hpp; it prints the
// same text, with RAII handles and exceptions instead of status codes.
#include <llmnas.hpp>

#include <cstdio>
#include <string>

// The number after "key": in a flat JSON object, enough for the stats object this example reads.
static double json_number(const std::string &json, const std::string &key) {
    auto at = json.find("\"" + key + "\":");
    return at == std::string::npos ? -1.0 : std::stod(json.substr(at + key.size() + 3));
}

static int report(const char *what, const llmnas::Error &error) {
    std::string name = llmnas_status_string(error.status());
    std::printf("error handled: %s -> status %d (%s): %s\n", what, static_cast<int>(error.status()),
                name.substr(0, name.find(':')).c_str(), error.what());
    return 1;
}

int main() {
    std::printf("llmnas %s (ABI %d)\n", llmnas::version().c_str(), llmnas_abi_version());
    std::printf("built-in spaces: %s\n", llmnas::builtin_space_names_json().c_str());

    auto space = llmnas::Space::builtin("hat-wmt14ende");
    std::printf("\n3 architectures of hat-wmt14ende (seeds 7, 8, 9):\n");
    for (std::uint64_t seed = 7; seed < 10; seed++) {
        std::string sample = space.sample(seed, 1);
        std::string arch = sample.substr(1, sample.size() - 2);
        std::printf("%s\n  features:", arch.c_str());
        for (float f : space.features(arch)) std::printf(" %.4f", f);
        std::string stats = space.stats(arch);
        std::printf("\n  params: %.0f  GFLOPs: %.3f\n", json_number(stats, "params"), json_number(stats, "gflops"));
    }

    std::printf("\n");
    int handled = 0;
    try { space.validate("{\"encoder_embed_dim\": 768, \"encoder_layer_num\": 6}"); }
    catch (const llmnas::Error &e) { handled += report("a width outside the choices", e); }
    try { space.validate("{\"encoder_embed_dim\": "); }
    catch (const llmnas::Error &e) { handled += report("text that is not JSON", e); }
    try { llmnas::Space::builtin("hat-wmt16"); }
    catch (const llmnas::Error &e) { handled += report("an unknown space", e); }
    return handled == 3 ? 0 : 1;
}
