/* distill.c: LLM-Distill-PP through the C interface of libllmnas.
 * Labels N architectures of the unlabelled pool with LLM-PP (10 measured demonstrations of WMT'14 En-De), trains an
 * MLP on their features, saves it, and predicts BLEU for new architectures at microseconds each; then a built-in
 * latency predictor gives their latency on a TITAN Xp.
 *
 * Usage: distill [LABELS [DATA_DIR [MODEL_PATH [MLP_CONFIG]]]]
 *        (defaults 200, data/llmpp-wmt, build/distilled.mlp, the paper's MLP recipe)
 * The endpoint as in llmpp_eval.c: LLMNAS_LLM_CONFIG, or LLMNAS_MODEL with OPENAI_BASE_URL / OPENAI_API_KEY. */
#include <llmnas.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, llmnas_status status) {
    fprintf(stderr, "%s failed: %s: %s\n", what, llmnas_status_string(status), llmnas_last_error());
    return 1;
}

static int show_progress(const llmnas_progress *p, void *user_data) {
    (void)user_data;
    fprintf(stderr, "\r%-24s %5zu/%-5zu", p->stage, p->done, p->total);
    if (p->done == p->total) fputc('\n', stderr);
    return 0;
}

/* The first ten architectures of wmt14ende in labeled.csv with their BLEU trained from scratch, as demonstrations. */
static char *read_demonstrations(const char *data_dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/labeled.csv", data_dir);
    FILE *file = fopen(path, "r");
    if (!file) return NULL;
    size_t capacity = 1 << 16, length = 0;
    char *demos = malloc(capacity), line[8192];
    length += (size_t)snprintf(demos, capacity, "[");
    int count = 0;
    if (!fgets(line, sizeof line, file)) { fclose(file); free(demos); return NULL; } /* header */
    while (count < 10 && fgets(line, sizeof line, file)) {
        if (!strstr(line, ",wmt14ende,")) continue;
        char *bleu = strchr(line, ',') + 1;            /* task */
        bleu = strchr(bleu, ',') + 1;                  /* scratch_valid_bleu */
        char *arch = strstr(line, ",\"{");             /* arch_json, quoted with doubled quotes */
        if (!arch) continue;
        length += (size_t)snprintf(demos + length, capacity - length, "%s{\"score\": %.2f, \"architecture\": ", count ? "," : "",
                                   atof(bleu));
        for (char *c = arch + 2; *c && !(c[0] == '"' && c[1] != '"'); c++) {
            if (c[0] == '"' && c[1] == '"') c++;
            demos[length++] = *c;
        }
        length += (size_t)snprintf(demos + length, capacity - length, "}");
        count++;
    }
    snprintf(demos + length, capacity - length, "]");
    fclose(file);
    return demos;
}

int main(int argc, char **argv) {
    size_t labels = argc > 1 ? (size_t)atol(argv[1]) : 200;
    const char *data_dir = argc > 2 ? argv[2] : "data/llmpp-wmt";
    const char *model_path = argc > 3 ? argv[3] : "build/distilled.mlp";
    const char *mlp_config = argc > 4 ? argv[4] : NULL;
    const char *config = getenv("LLMNAS_LLM_CONFIG");
    char built[512];
    if (!config && getenv("LLMNAS_MODEL")) {
        snprintf(built, sizeof built, "{\"model\": \"%s\"}", getenv("LLMNAS_MODEL"));
        config = built;
    }
    if (!config) {
        fprintf(stderr, "set LLMNAS_LLM_CONFIG or LLMNAS_MODEL (see the README)\n");
        return 2;
    }
    char *demos = read_demonstrations(data_dir);
    if (!demos) return fail("reading labeled.csv", LLMNAS_IO_ERROR);

    llmnas_llm *llm = NULL;
    llmnas_space *space = NULL;
    llmnas_mlp *mlp = NULL;
    char *report = NULL, pool[1024];
    snprintf(pool, sizeof pool, "%s/unlabeled_archs.jsonl", data_dir);
    llmnas_status status = llmnas_llm_create(config, &llm);
    if (status == LLMNAS_OK) status = llmnas_space_builtin("hat-wmt14ende", &space);
    if (status == LLMNAS_OK) {
        status = llmnas_llmpp_distill(llm, space, "{\"task\": \"machine translation\", \"dataset\": \"WMT'14 English-German\"}",
                                      demos, pool, labels, 123, mlp_config, show_progress, NULL, &mlp, &report);
    }
    free(demos);
    if (status != LLMNAS_OK) {
        llmnas_space_free(space);
        llmnas_llm_free(llm);
        return fail("distillation", status);
    }
    printf("LLM-Distill-PP on %zu labels: %s\n", labels, report);
    llmnas_string_free(report);
    if ((status = llmnas_mlp_save(mlp, model_path)) != LLMNAS_OK) return fail("llmnas_mlp_save", status);
    printf("saved the distilled predictor to %s\n", model_path);

    llmnas_mlp *latency = NULL;
    if ((status = llmnas_latency_predictor_builtin("wmt14ende-titanxp", &latency)) != LLMNAS_OK) {
        return fail("llmnas_latency_predictor_builtin", status);
    }
    char *sample = NULL;
    llmnas_space_sample(space, 2024, 5, &sample);
    float features[50], bleu[5], ms[5];
    size_t rows = 0;
    llmnas_arch_features_batch(space, sample, features, 50, &rows);
    llmnas_mlp_predict(mlp, features, rows, 10, bleu);
    llmnas_mlp_predict(latency, features, rows, 10, ms);
    printf("5 new architectures: predicted BLEU and TITAN Xp latency\n");
    for (size_t i = 0; i < rows; i++) printf("  %zu: BLEU %.2f, %.1f ms\n", i + 1, bleu[i], ms[i]);
    llmnas_string_free(sample);
    llmnas_mlp_free(latency);
    llmnas_mlp_free(mlp);
    llmnas_space_free(space);
    llmnas_llm_free(llm);
    return 0;
}
