/* Embeds the model files of data/latency-predictors with the assembler's .incbin; the folder is on the include
 * path (Package.swift). After `make latency-models` rewrites them, this file is touched so that it is rebuilt. */
#include "latency_models.h"

#include <string.h>

__asm__(".section .rodata\n.balign 16\nlatency_model_0:\n.incbin \"wmt14ende-titanxp.mlp\"\nlatency_model_0_end:\n.previous\n");
__asm__(".section .rodata\n.balign 16\nlatency_model_1:\n.incbin \"wmt14ende-xeon.mlp\"\nlatency_model_1_end:\n.previous\n");
__asm__(".section .rodata\n.balign 16\nlatency_model_2:\n.incbin \"wmt14ende-raspberrypi.mlp\"\nlatency_model_2_end:\n.previous\n");
__asm__(".section .rodata\n.balign 16\nlatency_model_3:\n.incbin \"wmt14enfr-titanxp.mlp\"\nlatency_model_3_end:\n.previous\n");
__asm__(".section .rodata\n.balign 16\nlatency_model_4:\n.incbin \"wmt14enfr-xeon.mlp\"\nlatency_model_4_end:\n.previous\n");
__asm__(".section .rodata\n.balign 16\nlatency_model_5:\n.incbin \"wmt14enfr-raspberrypi.mlp\"\nlatency_model_5_end:\n.previous\n");
__asm__(".section .rodata\n.balign 16\nlatency_model_6:\n.incbin \"wmt19ende-titanxp.mlp\"\nlatency_model_6_end:\n.previous\n");
__asm__(".section .rodata\n.balign 16\nlatency_model_7:\n.incbin \"iwslt14deen-titanxp.mlp\"\nlatency_model_7_end:\n.previous\n");

extern const unsigned char latency_model_0[], latency_model_0_end[];
extern const unsigned char latency_model_1[], latency_model_1_end[];
extern const unsigned char latency_model_2[], latency_model_2_end[];
extern const unsigned char latency_model_3[], latency_model_3_end[];
extern const unsigned char latency_model_4[], latency_model_4_end[];
extern const unsigned char latency_model_5[], latency_model_5_end[];
extern const unsigned char latency_model_6[], latency_model_6_end[];
extern const unsigned char latency_model_7[], latency_model_7_end[];

static const struct { const char *name; const unsigned char *start, *end; } models[] = {
    {"wmt14ende-titanxp", latency_model_0, latency_model_0_end},
    {"wmt14ende-xeon", latency_model_1, latency_model_1_end},
    {"wmt14ende-raspberrypi", latency_model_2, latency_model_2_end},
    {"wmt14enfr-titanxp", latency_model_3, latency_model_3_end},
    {"wmt14enfr-xeon", latency_model_4, latency_model_4_end},
    {"wmt14enfr-raspberrypi", latency_model_5, latency_model_5_end},
    {"wmt19ende-titanxp", latency_model_6, latency_model_6_end},
    {"iwslt14deen-titanxp", latency_model_7, latency_model_7_end},
};

const unsigned char *embedded_latency_model(const char *name, size_t *size) {
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        if (strcmp(models[i].name, name) == 0) {
            *size = (size_t)(models[i].end - models[i].start);
            return models[i].start;
        }
    }
    *size = 0;
    return NULL;
}
