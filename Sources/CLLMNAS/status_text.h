/* CLLMNAS: include/llmnas.h as a module, so the Swift implementation (Sources/LLMNAS) sees the header's own types and
 * implements each of its functions with `@c @implementation`, checked against the declaration by the compiler.
 * Swift cannot expand the function-like macro LLMNAS_STATUS_LIST, so the text of each status is read through it here. */
#ifndef LLMNAS_CLLMNAS_STATUS_TEXT_H
#define LLMNAS_CLLMNAS_STATUS_TEXT_H
#include "../../include/llmnas.h"

/** "NAME: meaning" of a status from LLMNAS_STATUS_LIST, or NULL for a value the list does not hold. */
static inline const char *llmnas_status_text(int status) {
    switch (status) {
#define LLMNAS_STATUS_CASE_(name, value, meaning) case value: return #name ": " meaning;
        LLMNAS_STATUS_LIST(LLMNAS_STATUS_CASE_)
#undef LLMNAS_STATUS_CASE_
    }
    return NULL;
}
#endif
