/* hsnas.c: HS-NAS through the C interface of libllmnas, as HAT's demo runs it.
 * Searches hat-wmt14ende under 100, 150 and 200 ms of predicted TITAN Xp latency, scoring with a distilled BLEU
 * predictor (an MLP file, e.g. the one examples/distill.c saves), and prints the best architecture of each search
 * with its predicted BLEU, latency, parameters and GFLOPs. Each search checkpoints after every step and writes an
 * HTML report. A host that owns an expensive estimator (a supernet) adds it to the config's "estimators" and
 * "schedule" and scores its batches in the ask/tell loop below (see examples/python/hsnas.py).
 *
 * Usage: hsnas [MODEL_PATH [OUT_DIR [ITERATIONS]]]   (defaults build/distilled.mlp, build, 30) */
#include <llmnas.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, llmnas_status status) {
    fprintf(stderr, "%s failed: %s: %s\n", what, llmnas_status_string(status), llmnas_last_error());
    return 1;
}

/* Prints the number of the "key": member of a JSON text with `decimals` decimals. */
static void print_number(const char *json, const char *key, const char *label, int decimals) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(json, pattern);
    if (at) printf("  %-32s %.*f\n", label, decimals, strtod(at + strlen(pattern), NULL));
}

/* Prints the "key": {...} member of a JSON text (an object without strings holding braces). */
static void print_object(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":{", key);
    const char *start = strstr(json, pattern);
    if (!start) return;
    start += strlen(pattern) - 1;
    int depth = 0;
    const char *end = start;
    do {
        depth += (*end == '{') - (*end == '}');
        end++;
    } while (depth > 0 && *end);
    printf("  %s %.*s\n", key, (int)(end - start), start);
}

static int search_under(const llmnas_space *space, const char *model, const char *out_dir, int limit_ms, int iterations) {
    char config[2048], checkpoint[1024], report[1024];
    snprintf(checkpoint, sizeof checkpoint, "%s/hsnas-%dms.ckpt", out_dir, limit_ms);
    snprintf(report, sizeof report, "%s/hsnas-%dms.html", out_dir, limit_ms);
    snprintf(config, sizeof config,
             "{\"seed\": 1, \"iterations\": %d,"
             " \"estimators\": [{\"name\": \"distilled-bleu\", \"kind\": \"mlp\", \"model\": \"%s\"}],"
             " \"constraints\": [{\"kind\": \"latency\", \"predictor\": \"wmt14ende-titanxp\", \"max\": %d}],"
             " \"checkpoint\": \"%s\"}",
             iterations, model, limit_ms, checkpoint);
    llmnas_search *search = NULL;
    llmnas_status status = llmnas_search_create(space, config, &search);
    if (status != LLMNAS_OK) return fail("llmnas_search_create", status);

    /* With only built-in estimators, the first ask runs the whole search and hands out "[]": no host scores are
     * needed. A host estimator's batches would come back here, to be scored and given to llmnas_search_tell. */
    char *candidates = NULL, *estimator = NULL;
    status = llmnas_search_ask(search, &candidates, &estimator);
    if (status == LLMNAS_OK && strcmp(candidates, "[]") != 0) {
        fprintf(stderr, "host estimator '%s' is not available in this example\n", estimator);
        status = LLMNAS_UNSUPPORTED;
    }
    llmnas_string_free(candidates);
    llmnas_string_free(estimator);
    char *best = NULL;
    if (status == LLMNAS_OK) status = llmnas_search_best(search, &best);
    if (status == LLMNAS_OK) status = llmnas_search_write_report(search, report, "html");
    if (status != LLMNAS_OK) {
        llmnas_string_free(best);
        llmnas_search_free(search);
        return fail("the search", status);
    }
    printf("latency <= %d ms:\n", limit_ms);
    print_number(best, "best_score", "predicted BLEU", 2);
    print_number(best, "latency_ms", "TITAN Xp latency (ms)", 1);
    print_number(best, "params", "parameters (without embeddings)", 0);
    print_number(best, "gflops", "GFLOPs", 2);
    print_object(best, "architecture");
    printf("  report %s, checkpoint %s\n", report, checkpoint);
    llmnas_string_free(best);
    llmnas_search_free(search);
    return 0;
}

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "build/distilled.mlp";
    const char *out_dir = argc > 2 ? argv[2] : "build";
    int iterations = argc > 3 ? atoi(argv[3]) : 30;
    llmnas_space *space = NULL;
    llmnas_status status = llmnas_space_builtin("hat-wmt14ende", &space);
    if (status != LLMNAS_OK) return fail("llmnas_space_builtin", status);
    static const int limits[] = {100, 150, 200};
    int failed = 0;
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) failed |= search_under(space, model, out_dir, limits[i], iterations);
    llmnas_space_free(space);
    return failed;
}
