/* The built-in latency predictors' model files (the .mlp files of data/latency-predictors), embedded in the library at build
 * time. Internal to libllmnas: none of these symbols is exported. */
#ifndef LLMNAS_LATENCY_MODELS_H
#define LLMNAS_LATENCY_MODELS_H
#include <stddef.h>

/** The bytes of the embedded model file `name` ("wmt14ende-titanxp", ...) and their count; NULL if there is none. */
const unsigned char *embedded_latency_model(const char *name, size_t *size);

#endif
