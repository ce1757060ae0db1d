import CLLMNAS
import Foundation
import LLMNASCore
import LLMNASTestSupport
import Synchronization
import Testing

@testable import LLMNAS

/// The C functions called as a C host would: raw pointers, status codes, library-owned strings.
@Suite struct CABITests {
    static let a00 =
        #"{"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,1024,2048,2048,2048,1024],"#
        + #""encoder_self_attention_heads":[4,4,4,8,4,4],"decoder_embed_dim":640,"decoder_layer_num":1,"#
        + #""decoder_ffn_embed_dim":[3072],"decoder_self_attention_heads":[8],"#
        + #""decoder_ende_attention_heads":[4],"decoder_arbitrary_ende_attn":[2]}"#

    /// A built-in space handle, freed after `body`.
    func withSpace<T>(_ name: String = "hat-wmt14ende", _ body: (OpaquePointer) throws -> T) throws -> T {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_builtin(name, &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        return try body(try #require(space))
    }

    /// Takes a library-owned string: its text, then frees it.
    func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        defer { llmnas_string_free(pointer) }
        return pointer.map { String(cString: $0) }
    }

    var lastError: String { String(cString: llmnas_last_error()) }

    @Test func versionsAgreeWithTheHeader() throws {
        let header = try String(contentsOfFile: RepoPaths.header, encoding: .utf8)
        let version = String(cString: llmnas_version_string())
        let parts = version.split(separator: ".")
        for (macro, part) in zip(["MAJOR", "MINOR", "PATCH"], parts) {
            #expect(header.contains("#define LLMNAS_VERSION_\(macro) \(part)\n"))
        }
        #expect(header.contains("#define LLMNAS_ABI_VERSION \(llmnas_abi_version())\n"))
        #expect(header.contains("#define LLMNAS_MAX_BATCH \(ArchitectureBatch.maximumCount)\n"))
        #expect(header.contains("#define LLMNAS_MAX_SEARCH_ITERATIONS \(SearchConfig.maximumIterations)\n"))
        #expect(header.contains("#define LLMNAS_MAX_POPULATION \(SearchConfig.maximumPopulation)\n"))
        #expect(header.contains("#define LLMNAS_MAX_PROMPT_BYTES \(LLMConfig.maximumPromptBytes)\n"))
    }

    @Test func everyStatusHasANameThatTheHeaderDeclares() throws {
        let header = try String(contentsOfFile: RepoPaths.header, encoding: .utf8)
        let entries = try HeaderStatusList(header: header).entries
        #expect(entries.count == LLMNASError.Kind.allCases.count + 1, "one status per error kind, and LLMNAS_OK")
        for entry in entries {
            let text = String(cString: llmnas_status_string(llmnas_status(rawValue: entry.value))!)
            #expect(text == "\(entry.name): \(entry.meaning)")
        }
        var mapped = Set<Int32>()
        for kind in LLMNASError.Kind.allCases {
            let status = kind.status.rawValue
            #expect(status < 0 && entries.contains { $0.value == status }, "\(kind)")
            mapped.insert(status)
        }
        #expect(mapped.count == LLMNASError.Kind.allCases.count, "no two kinds share a status")
        #expect(
            String(cString: llmnas_status_string(llmnas_status(rawValue: -1000))!).hasPrefix("LLMNAS_UNKNOWN_STATUS"))
        #expect(String(cString: llmnas_status_string(llmnas_status(rawValue: 7))!).hasPrefix("LLMNAS_UNKNOWN_STATUS"))
    }

    @Test func nullArgumentsAreReportedByName() throws {
        var space: OpaquePointer? = nil
        var text: UnsafeMutablePointer<CChar>? = nil
        var count: Int = 99
        #expect(llmnas_space_builtin(nil, &space) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError == "name is NULL")
        #expect(space == nil)
        #expect(llmnas_space_builtin("hat-wmt14ende", nil) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError == "out_space is NULL")
        #expect(llmnas_space_from_json(nil, &space) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_space_serialize(nil, &text) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError == "space is NULL")
        #expect(llmnas_space_feature_count(nil, &count) == LLMNAS_INVALID_ARGUMENT)
        #expect(count == 99)
        #expect(llmnas_space_sample(nil, 1, 1, &text) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_space_builtin_names(nil) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_arch_validate(nil, Self.a00) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_arch_features(nil, Self.a00, nil, 0, &count) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_arch_mutate(nil, Self.a00, 0.3, 1, &text) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_arch_crossover(nil, Self.a00, Self.a00, 1, &text) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_arch_stats(nil, Self.a00, &text) == LLMNAS_INVALID_ARGUMENT)
        #expect(text == nil)
        try withSpace { space in
            #expect(llmnas_arch_validate(space, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError == "arch_json is NULL")
            #expect(llmnas_arch_features(space, Self.a00, nil, 10, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError == "out_len is NULL")
            #expect(llmnas_arch_features(space, Self.a00, nil, 10, &count) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError == "out is NULL")
            #expect(llmnas_arch_features_batch(space, nil, nil, 0, &count) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_arch_mutate(space, Self.a00, 0.3, 1, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_arch_crossover(space, Self.a00, nil, 1, &text) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError == "b_json is NULL")
            #expect(llmnas_arch_stats(space, Self.a00, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_space_sample(space, 1, 1, nil) == LLMNAS_INVALID_ARGUMENT)
        }
        llmnas_space_free(nil)
        llmnas_string_free(nil)
    }

    @Test func theLastErrorIsClearedBySuccessAndPrivateToItsThread() throws {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_builtin("no-such-space", &space) == LLMNAS_NOT_FOUND)
        #expect(lastError.contains("hat-wmt14ende"))
        let other = Thread { precondition(String(cString: llmnas_last_error()) == "") }
        other.start()
        while !other.isFinished { usleep(1000) }
        #expect(lastError.contains("no-such-space"))
        #expect(llmnas_space_builtin("nas-bench-graph", &space) == LLMNAS_OK)
        #expect(lastError == "")
        llmnas_space_free(space)
    }

    @Test func badTextGivesItsOwnStatus() throws {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_from_json("{\"name\": ", &space) == LLMNAS_MALFORMED_JSON)
        #expect(lastError.contains("byte 9: unexpected end of text"))
        #expect(llmnas_space_from_json("{\"name\": \"x\"}", &space) == LLMNAS_INVALID_SPACE)
        let invalidUTF8: [CChar] = [0x7B, CChar(bitPattern: 0xFF), 0x7D, 0]
        #expect(llmnas_space_from_json(invalidUTF8, &space) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError == "json is not valid UTF-8")
        #expect(space == nil)
        try withSpace { space in
            #expect(llmnas_arch_validate(space, "{\"encoder_embed_dim\": 512") == LLMNAS_MALFORMED_JSON)
            #expect(
                llmnas_arch_validate(space, Self.a00.replacingOccurrences(of: "[3072]", with: "[4096]"))
                    == LLMNAS_INVALID_ARCH)
            #expect(lastError.contains("'decoder_ffn_embed_dim[0]' = 4096"))
            #expect(llmnas_arch_validate(space, Self.a00) == LLMNAS_OK)
        }
    }

    @Test func featuresReportTheirLengthAndATooSmallBuffer() throws {
        try withSpace { space in
            var count: Int = 0
            #expect(llmnas_space_feature_count(space, &count) == LLMNAS_OK)
            #expect(count == 10)
            var buffer = [Float](repeating: -1, count: 10)
            var length: Int = 0
            #expect(llmnas_arch_features(space, Self.a00, &buffer, 3, &length) == LLMNAS_BUFFER_TOO_SMALL)
            #expect(length == 10)
            #expect(buffer[0] == -1)
            #expect(llmnas_arch_features(space, Self.a00, nil, 0, &length) == LLMNAS_BUFFER_TOO_SMALL)
            #expect(llmnas_arch_features(space, Self.a00, &buffer, 10, &length) == LLMNAS_OK)
            #expect(buffer == [512, 6, 1536, Float(28.0 / 6.0), 640, 1, 3072, 8, 4, 3])
        }
    }

    @Test func batchFeaturesFillRowsAndNameTheBadElement() throws {
        try withSpace { space in
            var sample: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_space_sample(space, 9, 4, &sample) == LLMNAS_OK)
            let archs = take(sample)!
            var rows: Int = 0
            var matrix = [Float](repeating: 0, count: 40)
            #expect(llmnas_arch_features_batch(space, archs, &matrix, 39, &rows) == LLMNAS_BUFFER_TOO_SMALL)
            #expect(rows == 4)
            #expect(llmnas_arch_features_batch(space, archs, &matrix, 40, &rows) == LLMNAS_OK)
            let list = try JSONParser.parse(archs).arrayValue!
            for (i, arch) in list.enumerated() {
                var row = [Float](repeating: 0, count: 10)
                var length: Int = 0
                #expect(llmnas_arch_features(space, JSONWriter.write(arch), &row, 10, &length) == LLMNAS_OK)
                #expect(Array(matrix[(i * 10)..<(i * 10 + 10)]) == row)
            }
            #expect(llmnas_arch_features_batch(space, "[\(Self.a00), {}]", &matrix, 40, &rows) == LLMNAS_INVALID_ARCH)
            #expect(lastError.hasPrefix("architecture 1: missing hyperparameter"))
            #expect(llmnas_arch_features_batch(space, "[]", nil, 0, &rows) == LLMNAS_OK)
            #expect(rows == 0)
        }
    }

    @Test func samplingIsFixedBySeedAndBounded() throws {
        try withSpace("nas-bench-graph") { space in
            var a: UnsafeMutablePointer<CChar>? = nil
            var b: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_space_sample(space, 42, 50, &a) == LLMNAS_OK)
            #expect(llmnas_space_sample(space, 42, 50, &b) == LLMNAS_OK)
            let first = take(a)!
            #expect(first == take(b))
            let parsed = try JSONParser.parse(first)
            #expect(parsed.arrayValue?.count == 50)
            #expect(llmnas_space_sample(space, 42, 0, &a) == LLMNAS_OK)
            #expect(take(a) == "[]")
            #expect(llmnas_space_sample(space, 42, Int(bitPattern: UInt.max), &a) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("1000000"))
        }
    }

    @Test func mutateCrossoverAndStatsReturnJSON() throws {
        try withSpace { space in
            var out: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_arch_mutate(space, Self.a00, 1.0, 3, &out) == LLMNAS_OK)
            let child = take(out)!
            #expect(llmnas_arch_validate(space, child) == LLMNAS_OK)
            #expect(llmnas_arch_mutate(space, Self.a00, 0.0, 3, &out) == LLMNAS_OK)
            #expect(take(out) == Self.a00)
            #expect(llmnas_arch_mutate(space, Self.a00, -0.1, 3, &out) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_arch_crossover(space, Self.a00, child, 4, &out) == LLMNAS_OK)
            #expect(llmnas_arch_validate(space, take(out)) == LLMNAS_OK)
            #expect(llmnas_arch_stats(space, Self.a00, &out) == LLMNAS_OK)
            let stats = try JSONParser.parse(take(out)!)
            #expect(stats["params"] == .number(22_199_936))
            #expect(stats["flops"] == .number(2_669_506_728))
        }
        try withSpace("nas-bench-graph") { space in
            var out: UnsafeMutablePointer<CChar>? = nil
            #expect(
                llmnas_arch_stats(space, #"{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}"#, &out)
                    == LLMNAS_UNSUPPORTED)
            #expect(out == nil)
        }
    }

    @Test func spacesRoundTripThroughTheCInterface() throws {
        var names: UnsafeMutablePointer<CChar>? = nil
        #expect(llmnas_space_builtin_names(&names) == LLMNAS_OK)
        let list = try JSONParser.parse(take(names)!).arrayValue!.compactMap(\.stringValue)
        #expect(list == BuiltinSpaces.names)
        for name in list {
            try withSpace(name) { space in
                var json: UnsafeMutablePointer<CChar>? = nil
                #expect(llmnas_space_serialize(space, &json) == LLMNAS_OK)
                let text = take(json)!
                var copy: OpaquePointer? = nil
                #expect(llmnas_space_from_json(text, &copy) == LLMNAS_OK)
                #expect(llmnas_space_serialize(copy, &json) == LLMNAS_OK)
                #expect(take(json) == text)
                llmnas_space_free(copy)
            }
        }
    }

    @Test func oneSpaceHandleServesManyThreadsAtOnce() throws {
        try withSpace { space in
            let sendable = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(space)))
            let failures = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 8) { i in
                let handle = OpaquePointer(bitPattern: sendable)
                var status = LLMNAS_OK
                for seed in 0..<200 {
                    var out: UnsafeMutablePointer<CChar>? = nil
                    let result = llmnas_space_sample(handle, UInt64(seed * 8 + i), 3, &out)
                    if result != LLMNAS_OK { status = result }
                    llmnas_string_free(out)
                }
                if status != LLMNAS_OK { failures.withLock { $0 += 1 } }
            }
            #expect(failures.withLock { $0 } == 0)
        }
    }
}

/// Paths in the source tree.
enum RepoPaths {
    static let header = RepoData.root + "/include/llmnas.h"
}
