/* spaces.c: the built-in search spaces through the C interface of libllmnas.
 * Lists the spaces, samples three HAT architectures and prints their features, parameters and GFLOPs, then shows
 * how a failed call reports its status and message. Build: cc -std=c11 spaces.c -lllmnas (see the Makefile). */
#include <llmnas.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the failed call's status and message; returns 1 so callers can count failures. */
static int report(const char *what, llmnas_status status) {
    const char *name = llmnas_status_string(status);
    printf("error handled: %s -> status %d (%.*s): %s\n", what, (int)status, (int)strcspn(name, ":"), name,
           llmnas_last_error());
    return 1;
}

/* The number after "key": in a flat JSON object, enough for the stats object this example reads. */
static double json_number(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(json, pattern);
    return at ? strtod(at + strlen(pattern), NULL) : -1.0;
}

int main(void) {
    printf("llmnas %s (ABI %d)\n", llmnas_version_string(), llmnas_abi_version());
    if (llmnas_abi_version() != LLMNAS_ABI_VERSION) {
        fprintf(stderr, "header and library disagree on the ABI\n");
        return 1;
    }

    char *names = NULL;
    if (llmnas_space_builtin_names(&names) != LLMNAS_OK) return 1;
    printf("built-in spaces: %s\n", names);
    llmnas_string_free(names);

    llmnas_space *space = NULL;
    llmnas_status status = llmnas_space_builtin("hat-wmt14ende", &space);
    if (status != LLMNAS_OK) return report("llmnas_space_builtin", status);
    size_t feature_count = 0;
    llmnas_space_feature_count(space, &feature_count);
    float *features = malloc(feature_count * sizeof *features);

    printf("\n3 architectures of hat-wmt14ende (seeds 7, 8, 9):\n");
    for (uint64_t seed = 7; seed < 10; seed++) {
        char *sample = NULL;
        if (llmnas_space_sample(space, seed, 1, &sample) != LLMNAS_OK) return 1;
        sample[strlen(sample) - 1] = '\0'; /* a one-element array: strip the brackets */
        const char *arch = sample + 1;
        size_t length = 0;
        char *stats = NULL;
        if (llmnas_arch_features(space, arch, features, feature_count, &length) != LLMNAS_OK ||
            llmnas_arch_stats(space, arch, &stats) != LLMNAS_OK) {
            return report("features or stats", LLMNAS_INVALID_ARCH);
        }
        printf("%s\n  features:", arch);
        for (size_t i = 0; i < length; i++) printf(" %.4f", features[i]);
        printf("\n  params: %.0f  GFLOPs: %.3f\n", json_number(stats, "params"), json_number(stats, "gflops"));
        llmnas_string_free(stats);
        llmnas_string_free(sample);
    }
    free(features);

    printf("\n");
    int handled = 0;
    handled += report("a width outside the choices",
                      llmnas_arch_validate(space, "{\"encoder_embed_dim\": 768, \"encoder_layer_num\": 6}"));
    handled += report("text that is not JSON", llmnas_arch_validate(space, "{\"encoder_embed_dim\": "));
    llmnas_space *unknown = NULL;
    handled += report("an unknown space", llmnas_space_builtin("hat-wmt16", &unknown));
    llmnas_space_free(space);
    return handled == 3 ? 0 : 1;
}
