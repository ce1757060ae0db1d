/* Embeds the model files of data/latency-predictors with the assembler's .incbin; the folder is on the include
 * path (Package.swift). After `make latency-models` rewrites them, this file is touched so that it is rebuilt. */
#include "latency_models.h"

#define EMBED_(task, kind, device)                                                                          \
    __asm__(".section .rodata\n.balign 16\nlatency_model_" #task "_" #device ":\n.incbin \"" #task "-" #device \
            ".mlp\"\nlatency_model_" #task "_" #device "_end:\n.previous\n");                               \
    extern const unsigned char latency_model_##task##_##device[], latency_model_##task##_##device##_end[];
LLMNAS_LATENCY_PREDICTORS(EMBED_)
#undef EMBED_

static const struct {
    const char *name, *dataset;
    const unsigned char *start, *end;
} models[] = {
#define ENTRY_(task, kind, device)                                                                  \
    {#task "-" #device, #task "_" #kind "_" #device "_all.csv", latency_model_##task##_##device, \
     latency_model_##task##_##device##_end},
    LLMNAS_LATENCY_PREDICTORS(ENTRY_)
#undef ENTRY_
};

static const size_t model_count = sizeof models / sizeof models[0];

size_t embedded_latency_model_count(void) { return model_count; }

const char *embedded_latency_model_name(size_t index) { return index < model_count ? models[index].name : NULL; }

const char *embedded_latency_model_dataset(size_t index) { return index < model_count ? models[index].dataset : NULL; }

const unsigned char *embedded_latency_model_bytes(size_t index, size_t *size) {
    if (index >= model_count) return NULL;
    *size = (size_t)(models[index].end - models[index].start);
    return models[index].start;
}
