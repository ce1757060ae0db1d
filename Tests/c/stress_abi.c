/* stress_abi.c: creates and frees every handle kind of libllmnas N times (default 10,000), walking every error path
 * of the constructors and of the calls on each handle, so valgrind can prove nothing leaks and nothing is read or
 * written out of bounds. The paths that write files (model save and load, search checkpoint and resume) run every
 * 100th round, since each one waits for the disk. Exits non-zero if any call returns an unexpected status.
 *
 * Usage: stress_abi [N [WORK_DIR]]   (WORK_DIR: where model and checkpoint files go; default build) */
#include <llmnas.h>

#include <stdio.h>
#include <stdlib.h>

static int failures = 0;

static void expect(llmnas_status got, llmnas_status want, const char *what) {
    if (got != want && failures++ < 20) {
        fprintf(stderr, "%s: got %s, want %s (%s)\n", what, llmnas_status_string(got), llmnas_status_string(want),
                llmnas_last_error());
    }
}

static void spaces(void) {
    llmnas_space *space = NULL;
    char *text = NULL;
    expect(llmnas_space_builtin("hat-wmt14ende", &space), LLMNAS_OK, "space_builtin");
    expect(llmnas_space_serialize(space, &text), LLMNAS_OK, "space_to_json");
    llmnas_space *copy = NULL;
    expect(llmnas_space_from_json(text, &copy), LLMNAS_OK, "space_from_json");
    llmnas_string_free(text);
    expect(llmnas_space_sample(copy, 1, 2, &text), LLMNAS_OK, "space_sample");
    char *stats = NULL;
    expect(llmnas_arch_stats(space, "{\"encoder_embed_dim\": 1}", &stats), LLMNAS_INVALID_ARCH, "arch_stats bad arch");
    float features[20];
    size_t rows = 0;
    expect(llmnas_arch_features_batch(space, text, features, 20, &rows), LLMNAS_OK, "features_batch");
    expect(llmnas_arch_features_batch(space, text, features, 3, &rows), LLMNAS_BUFFER_TOO_SMALL, "features_batch small");
    llmnas_string_free(text);
    llmnas_space_free(copy);
    llmnas_space_free(space);
    expect(llmnas_space_builtin("nope", &space), LLMNAS_NOT_FOUND, "space_builtin unknown");
    expect(llmnas_space_builtin(NULL, &space), LLMNAS_INVALID_ARGUMENT, "space_builtin NULL");
    expect(llmnas_space_from_json("{\"name\": ", &space), LLMNAS_MALFORMED_JSON, "space_from_json malformed");
    expect(llmnas_space_from_json("{\"name\": \"x\"}", &space), LLMNAS_INVALID_SPACE, "space_from_json invalid");
    llmnas_space_free(NULL);
}

static void llms(void) {
    llmnas_llm *llm = NULL;
    char *usage = NULL;
    expect(llmnas_llm_create("{\"model\": \"m\", \"base_url\": \"http://127.0.0.1:9/v1\"}", &llm), LLMNAS_OK, "llm_create");
    expect(llmnas_llm_usage(llm, &usage), LLMNAS_OK, "llm_usage");
    llmnas_string_free(usage);
    llmnas_llm_free(llm);
    expect(llmnas_llm_create("{\"temperature\": 1}", &llm), LLMNAS_INVALID_ARGUMENT, "llm_create no model");
    expect(llmnas_llm_create("[", &llm), LLMNAS_MALFORMED_JSON, "llm_create malformed");
    llmnas_llm_free(NULL);
}

static void mlps(const char *dir, int with_files) {
    float x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[4] = {1, 2, 3, 4}, out[4];
    char path[512], info_path[512];
    llmnas_mlp *mlp = NULL, *loaded = NULL;
    expect(llmnas_mlp_train("{\"hidden\": [4], \"steps\": 2}", x, y, 4, 2, NULL, NULL, &mlp), LLMNAS_OK, "mlp_train");
    expect(llmnas_mlp_predict(mlp, x, 4, 2, out), LLMNAS_OK, "mlp_predict");
    expect(llmnas_mlp_predict(mlp, x, 4, 3, out), LLMNAS_INVALID_ARGUMENT, "mlp_predict wrong dim");
    snprintf(path, sizeof path, "%s/stress.mlp", dir);
    snprintf(info_path, sizeof info_path, "%s/missing.mlp", dir);
    if (with_files) {
        expect(llmnas_mlp_save(mlp, path), LLMNAS_OK, "mlp_save");
        expect(llmnas_mlp_load(path, &loaded), LLMNAS_OK, "mlp_load");
        llmnas_mlp_free(loaded);
    }
    char *info = NULL;
    expect(llmnas_mlp_info(mlp, &info), LLMNAS_OK, "mlp_info");
    llmnas_string_free(info);
    llmnas_mlp_free(mlp);
    float bad[2] = {0.0f / 0.0f, 1};
    expect(llmnas_mlp_train("{}", bad, y, 1, 2, NULL, NULL, &mlp), LLMNAS_INVALID_ARGUMENT, "mlp_train NaN");
    expect(llmnas_mlp_load(info_path, &mlp), LLMNAS_IO_ERROR, "mlp_load missing");
    llmnas_mlp_free(NULL);
}

static void searches(const char *dir, int with_files) {
    llmnas_space *space = NULL;
    llmnas_search *search = NULL, *resumed = NULL;
    char config[768], checkpoint[512];
    snprintf(checkpoint, sizeof checkpoint, "%s/stress.ckpt", dir);
    snprintf(config, sizeof config, "{\"iterations\": 2, \"population\": 6, \"parents\": 2, \"mutations\": 2, "
             "\"crossovers\": 2%s%s%s}", with_files ? ", \"checkpoint\": \"" : "", with_files ? checkpoint : "",
             with_files ? "\"" : "");
    expect(llmnas_space_builtin("nas-bench-graph", &space), LLMNAS_OK, "space graph");
    expect(llmnas_search_create(space, config, &search), LLMNAS_OK, "search_create");
    char *candidates = NULL, *estimator = NULL, *json = NULL;
    expect(llmnas_search_best(search, &json), LLMNAS_NOT_FOUND, "best before any tell");
    expect(llmnas_search_tell(search, NULL, 0), LLMNAS_INVALID_ARGUMENT, "tell before ask");
    expect(llmnas_search_ask(search, &candidates, &estimator), LLMNAS_OK, "search_ask");
    double scores[6] = {1, 2, 3, 4, 5, 6};
    expect(llmnas_search_tell(search, scores, 5), LLMNAS_INVALID_ARGUMENT, "tell wrong count");
    double spreads[6] = {0.5, 0.5, -1, 0.5, 0.5, 0.5};
    expect(llmnas_search_tell_spread(search, scores, spreads, 6), LLMNAS_INVALID_ARGUMENT, "tell a negative spread");
    spreads[2] = 0.5;
    expect(llmnas_search_tell_spread(NULL, scores, spreads, 6), LLMNAS_INVALID_ARGUMENT, "tell_spread without a search");
    expect(llmnas_search_tell_spread(search, scores, spreads, 6), LLMNAS_OK, "search_tell_spread");
    llmnas_string_free(candidates);
    llmnas_string_free(estimator);
    expect(llmnas_search_history(search, &json), LLMNAS_OK, "history");
    llmnas_string_free(json);
    if (with_files) {
        expect(llmnas_search_resume(checkpoint, &resumed), LLMNAS_OK, "search_resume");
        expect(llmnas_search_best(resumed, &json), LLMNAS_OK, "best after resume");
        llmnas_string_free(json);
        llmnas_search_free(resumed);
    }
    llmnas_search_free(search);
    expect(llmnas_search_create(space, "{\"schedule\": [{\"estimator\": \"x\", \"iterations\": [0, 29]}]}", &search),
           LLMNAS_INVALID_ARGUMENT, "search unknown estimator");
    expect(llmnas_search_resume(config, &search), LLMNAS_IO_ERROR, "resume missing file");
    expect(llmnas_search_bind_mlp(NULL, "x", NULL), LLMNAS_INVALID_ARGUMENT, "bind NULL");
    llmnas_search_free(NULL);
    llmnas_space_free(space);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000;
    const char *dir = argc > 2 ? argv[2] : "build";
    for (long i = 0; i < n; i++) {
        spaces();
        llms();
        mlps(dir, i % 100 == 0);
        searches(dir, i % 100 == 0);
    }
    char *names = NULL;
    expect(llmnas_space_builtin_names(&names), LLMNAS_OK, "builtin_names");
    llmnas_string_free(names);
    printf("stress_abi: %ld rounds of every handle kind, %d unexpected statuses\n", n, failures);
    return failures == 0 ? 0 : 1;
}
