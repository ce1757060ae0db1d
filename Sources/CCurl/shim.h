/* CCurl: libcurl for Swift. Swift cannot call C variadic functions such as curl_easy_setopt, so the typed
 * static inline wrappers the client needs live here. Provided by Debian's libcurl4-openssl-dev. */
#ifndef LLMNAS_CCURL_SHIM_H
#define LLMNAS_CCURL_SHIM_H
#include <curl/curl.h>
#endif
