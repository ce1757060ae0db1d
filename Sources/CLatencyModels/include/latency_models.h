/* The built-in latency predictors: the model files of data/latency-predictors, embedded in the library at build time.
 * Internal to libllmnas: none of these symbols is exported. */
#ifndef LLMNAS_LATENCY_MODELS_H
#define LLMNAS_LATENCY_MODELS_H
#include <stddef.h>

/* The one list of the built-in predictors: X(task, kind, device) for HAT's measurements of `task` on `device`
 * (`kind` gpu or cpu). The predictor is named "task-device", trained on data/hat-latency/task_kind_device_all.csv
 * and embedded from data/latency-predictors/task-device.mlp. */
#define LLMNAS_LATENCY_PREDICTORS(X) \
    X(wmt14ende, gpu, titanxp) \
    X(wmt14ende, cpu, xeon) \
    X(wmt14ende, cpu, raspberrypi) \
    X(wmt14enfr, gpu, titanxp) \
    X(wmt14enfr, cpu, xeon) \
    X(wmt14enfr, cpu, raspberrypi) \
    X(wmt19ende, gpu, titanxp) \
    X(iwslt14deen, gpu, titanxp)

/** How many built-in predictors there are. */
size_t embedded_latency_model_count(void);

/** The name of predictor `index` ("wmt14ende-titanxp"); NULL past the end. */
const char *embedded_latency_model_name(size_t index);

/** The HAT measurement file predictor `index` was trained on ("wmt14ende_gpu_titanxp_all.csv"); NULL past the end. */
const char *embedded_latency_model_dataset(size_t index);

/** The bytes of predictor `index`'s model file and their count in *size; NULL past the end. */
const unsigned char *embedded_latency_model_bytes(size_t index, size_t *size);

#endif
