/* llmpp_eval.c: the evaluation protocol of Jawahar et al. (2024) through the C interface of libllmnas.
 * For each WMT task and split seed, 10 architectures trained from scratch are the demonstrations and 20 are
 * predicted; LLM-PP is scored by MAE and Kendall tau-b beside the supernet baselines of the data.
 *
 * Usage: llmpp_eval [DATA_DIR]        (default data/llmpp-wmt)
 * The endpoint: LLMNAS_LLM_CONFIG holds a whole client config (JSON, see llmnas_llm_create); otherwise
 * LLMNAS_MODEL names the model and the library reads OPENAI_BASE_URL and OPENAI_API_KEY. With neither, only the
 * baselines run. LLMNAS_PROTOCOL_OPTIONS may hold the protocol's options (JSON, see llmnas_protocol_run),
 * e.g. {"distill": {"labels": 200, "tasks": ["wmt14ende"], "seeds": [123]}} for an LLM-Distill-PP row. Progress goes
 * to stderr, the table to stdout. */
#include <llmnas.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shows the stage and how far it got on one stderr line; never cancels. */
static int show_progress(const llmnas_progress *p, void *user_data) {
    (void)user_data;
    fprintf(stderr, "\r%-48s %4zu/%-4zu", p->stage, p->done, p->total);
    if (p->done == p->total) fputc('\n', stderr);
    return 0;
}

/* Prints the failed call's status and message and returns 1. */
static int fail(const char *what, llmnas_status status) {
    fprintf(stderr, "%s failed: %s: %s\n", what, llmnas_status_string(status), llmnas_last_error());
    return 1;
}

int main(int argc, char **argv) {
    const char *data_dir = argc > 1 ? argv[1] : "data/llmpp-wmt";
    const char *config = getenv("LLMNAS_LLM_CONFIG");
    const char *model = getenv("LLMNAS_MODEL");
    char built[512];
    if (!config && model) {
        if (strchr(model, '"') || strchr(model, '\\')) return fail("LLMNAS_MODEL (quotes are not allowed)", LLMNAS_INVALID_ARGUMENT);
        snprintf(built, sizeof built, "{\"model\": \"%s\"}", model);
        config = built;
    }

    llmnas_llm *llm = NULL;
    if (config) {
        llmnas_status status = llmnas_llm_create(config, &llm);
        if (status != LLMNAS_OK) return fail("llmnas_llm_create", status);
    } else {
        fprintf(stderr, "no LLMNAS_LLM_CONFIG or LLMNAS_MODEL: running the baselines only\n");
    }

    char *result = NULL;
    llmnas_status status = llmnas_protocol_run(llm, data_dir, getenv("LLMNAS_PROTOCOL_OPTIONS"), show_progress,
                                                      NULL, &result);
    if (status != LLMNAS_OK) {
        llmnas_llm_free(llm);
        return fail("llmnas_protocol_run", status);
    }
    /* The table is the "text" member; print it unescaped. */
    const char *text = strstr(result, "\"text\":\"");
    printf("MAE and Kendall tau-b against BLEU trained from scratch, mean\xC2\xB1std over split seeds 123, 456, 789:\n");
    for (const char *c = text ? text + 8 : ""; *c && *c != '"'; c++) {
        if (c[0] == '\\' && c[1] == 'n') { putchar('\n'); c++; }
        else putchar(*c);
    }
    putchar('\n');
    /* The distillation reports, when the options asked for LLM-Distill-PP: what labels cost against predictions. */
    const char *distillation = strstr(result, "\"distillation\":{\"");
    const char *end = distillation ? strstr(distillation, "},\"calibrations\"") : NULL;
    if (distillation && end) printf("LLM-Distill-PP: %.*s}\n", (int)(end - distillation), distillation);
    llmnas_string_free(result);

    if (llm) {
        char *usage = NULL;
        if (llmnas_llm_usage(llm, &usage) == LLMNAS_OK) printf("LLM usage: %s\n", usage);
        llmnas_string_free(usage);
        llmnas_llm_free(llm);
    }
    return 0;
}
