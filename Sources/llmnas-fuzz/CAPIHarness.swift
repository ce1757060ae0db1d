import CLLMNAS
import Glibc
import LLMNAS

/// The exported C functions themselves driven with fuzzed text, sizes and NULLs, as a careless host would call
/// them: the first byte picks the function, the second which pointers are NULL, the third a size; the rest is the
/// text. Every call must return a status of the list (none traps) and every string it hands out is freed. Clients
/// point at a closed port and nothing names a file, so an input can neither reach a network nor write a path.
enum CAPIHarness {
    /// The built-in spaces, made once (the fuzzer calls the harness from one thread).
    nonisolated(unsafe) static let spaces: [OpaquePointer?] = ["hat-wmt14ende", "nas-bench-graph"].map { name in
        var space: OpaquePointer?
        _ = llmnas_space_builtin(name, &space)
        return space
    }

    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 3 else { return }
        let (selector, nulls, size) = (bytes[0], bytes[1], Int(bytes[2]))
        // Paths and caches are kept out: the harness must not write wherever a fuzzed key points.
        let text = String(decoding: bytes[3...].filter { $0 != 0 }, as: UTF8.self)
        guard !text.contains("cache_file"), !text.contains("checkpoint"), !text.contains("save_dir") else { return }
        let space = nulls & 1 == 0 ? spaces[Int(selector >> 7)] : nil
        func null(_ bit: UInt8) -> Bool { nulls & (1 << bit) != 0 }
        /// A pointer to `value`, or NULL when bit `bit` says so.
        func pointer<T>(to value: inout T, unless bit: UInt8, _ call: (UnsafeMutablePointer<T>?) -> llmnas_status)
            -> llmnas_status
        {
            withUnsafeMutablePointer(to: &value) { call(null(bit) ? nil : $0) }
        }
        var out: UnsafeMutablePointer<CChar>?
        let status: llmnas_status = text.withCString { (chars: UnsafePointer<CChar>) -> llmnas_status in
            let json: UnsafePointer<CChar>? = null(1) ? nil : chars
            switch selector % 8 {
            case 0:
                var made: OpaquePointer?
                defer { llmnas_space_free(made) }
                return pointer(to: &made, unless: 2) { llmnas_space_from_json(json, $0) }
            case 1:
                return pointer(to: &out, unless: 2) { llmnas_arch_stats(space, json, $0) }
            case 2:
                var features = [Float](repeating: 0, count: size)
                var length = 0
                return features.withUnsafeMutableBufferPointer { buffer in
                    pointer(to: &length, unless: 3) {
                        llmnas_arch_features_batch(space, json, null(2) ? nil : buffer.baseAddress, size, $0)
                    }
                }
            case 3:
                return llmnas_prompt_build(
                    space, null(2) ? nil : json, null(3) ? nil : json, json, null(4) ? nil : json, &out)
            case 4:
                // Created and freed, not run: a fuzzed config may ask for 100,000 x 100,000.
                var search: OpaquePointer?
                defer { llmnas_search_free(search) }
                return pointer(to: &search, unless: 2) { llmnas_search_create(space, json, $0) }
            case 5:
                let values = bytes.prefix(2 * size).map { Double($0) }
                let half = values.count / 2
                return values.withUnsafeBufferPointer { buffer in
                    pointer(to: &out, unless: 3) {
                        llmnas_metrics_compute(
                            null(2) ? nil : buffer.baseAddress, buffer.baseAddress.map { $0 + half }, half, $0)
                    }
                }
            case 6:
                var llm: OpaquePointer?
                defer { llmnas_llm_free(llm) }
                let config = #"{"model": "m", "base_url": "http://127.0.0.1:9/v1", "retries": 0, "timeout_seconds": 1}"#
                guard llmnas_llm_create(config, &llm) == LLMNAS_OK else { return LLMNAS_INVALID_ARGUMENT }
                if null(5) {
                    return pointer(to: &out, unless: 6) {
                        llmnas_llmpp_validate(
                            null(2) ? nil : llm, space, null(3) ? nil : json, json, null(4) ? nil : json, nil, nil, $0)
                    }
                }
                return llmnas_llm_propose(
                    null(2) ? nil : llm, space, null(3) ? nil : json, json, null(4) ? nil : json, &out)
            default:
                var llm: OpaquePointer?
                defer { llmnas_llm_free(llm) }
                return pointer(to: &llm, unless: 2) { llmnas_llm_create(json, $0) }
            }
        }
        llmnas_string_free(out)
        let name = String(cString: llmnas_status_string(status))
        precondition(
            name.hasPrefix("LLMNAS_") && !name.hasPrefix("LLMNAS_UNKNOWN_STATUS"),
            "a call returned \(status.rawValue), not a status of the list")
        precondition(
            status == LLMNAS_OK || !String(cString: llmnas_last_error()).isEmpty, "a failure without a message")
    }
}
