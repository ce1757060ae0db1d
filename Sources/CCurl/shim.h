/* CCurl: libcurl for Swift. Swift cannot call C variadic functions such as curl_easy_setopt, so the typed
 * static inline wrappers the client needs live here, one per argument type. Provided by Debian's
 * libcurl4-openssl-dev. */
#ifndef LLMNAS_CCURL_SHIM_H
#define LLMNAS_CCURL_SHIM_H
#include <curl/curl.h>

/** A write or header callback: the data, its size in items of `size` bytes, the user pointer. */
typedef size_t (*llmnas_curl_data_fn)(char *data, size_t size, size_t count, void *user);

static inline CURLcode llmnas_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode llmnas_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode llmnas_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode llmnas_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode llmnas_curl_set_data_fn(CURL *handle, CURLoption option, llmnas_curl_data_fn value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLMcode llmnas_curlm_set_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static inline CURLcode llmnas_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
#endif
