import Foundation
import Synchronization
import Testing
@testable import LLMNAS
import LLMNASCore
import LLMNASTestSupport

/// The C functions called as a C host would: raw pointers, status codes, library-owned strings.
@Suite struct CABITests {
    static let a00 = #"{"encoder_embed_dim":512,"encoder_layer_num":6,"encoder_ffn_embed_dim":[1024,1024,2048,2048,2048,1024],"encoder_self_attention_heads":[4,4,4,8,4,4],"decoder_embed_dim":640,"decoder_layer_num":1,"decoder_ffn_embed_dim":[3072],"decoder_self_attention_heads":[8],"decoder_ende_attention_heads":[4],"decoder_arbitrary_ende_attn":[2]}"#

    /// A built-in space handle, freed after `body`.
    func withSpace<T>(_ name: String = "hat-wmt14ende", _ body: (OpaquePointer) throws -> T) throws -> T {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_builtin(name, &space) == Status.ok.rawValue)
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
        for code in Int32(-18)...0 {
            let text = String(cString: llmnas_status_string(code))
            let name = String(text.prefix { $0 != ":" })
            #expect(header.contains("\(name) = \(code),") || header.contains("\(name) = \(code) "), "\(name) = \(code)")
            #expect(Status(rawValue: code) != nil)
        }
        #expect(String(cString: llmnas_status_string(-1000)).hasPrefix("LLMNAS_UNKNOWN_STATUS"))
        #expect(String(cString: llmnas_status_string(7)).hasPrefix("LLMNAS_UNKNOWN_STATUS"))
    }

    @Test func nullArgumentsAreReportedByName() throws {
        var space: OpaquePointer? = nil
        var text: UnsafeMutablePointer<CChar>? = nil
        var count: UInt = 99
        #expect(llmnas_space_builtin(nil, &space) == Status.invalidArgument.rawValue)
        #expect(lastError == "name is NULL")
        #expect(space == nil)
        #expect(llmnas_space_builtin("hat-wmt14ende", nil) == Status.invalidArgument.rawValue)
        #expect(lastError == "out_space is NULL")
        #expect(llmnas_space_from_json(nil, &space) == Status.invalidArgument.rawValue)
        #expect(llmnas_space_to_json(nil, &text) == Status.invalidArgument.rawValue)
        #expect(lastError == "space is NULL")
        #expect(llmnas_space_feature_count(nil, &count) == Status.invalidArgument.rawValue)
        #expect(count == 99)
        #expect(llmnas_space_sample(nil, 1, 1, &text) == Status.invalidArgument.rawValue)
        #expect(llmnas_space_builtin_names(nil) == Status.invalidArgument.rawValue)
        #expect(llmnas_arch_validate(nil, Self.a00) == Status.invalidArgument.rawValue)
        #expect(llmnas_arch_features(nil, Self.a00, nil, 0, &count) == Status.invalidArgument.rawValue)
        #expect(llmnas_arch_mutate(nil, Self.a00, 0.3, 1, &text) == Status.invalidArgument.rawValue)
        #expect(llmnas_arch_crossover(nil, Self.a00, Self.a00, 1, &text) == Status.invalidArgument.rawValue)
        #expect(llmnas_arch_stats(nil, Self.a00, &text) == Status.invalidArgument.rawValue)
        #expect(text == nil)
        try withSpace { space in
            #expect(llmnas_arch_validate(space, nil) == Status.invalidArgument.rawValue)
            #expect(lastError == "arch_json is NULL")
            #expect(llmnas_arch_features(space, Self.a00, nil, 10, nil) == Status.invalidArgument.rawValue)
            #expect(lastError == "out_len is NULL")
            #expect(llmnas_arch_features(space, Self.a00, nil, 10, &count) == Status.invalidArgument.rawValue)
            #expect(lastError == "out is NULL")
            #expect(llmnas_arch_features_batch(space, nil, nil, 0, &count) == Status.invalidArgument.rawValue)
            #expect(llmnas_arch_mutate(space, Self.a00, 0.3, 1, nil) == Status.invalidArgument.rawValue)
            #expect(llmnas_arch_crossover(space, Self.a00, nil, 1, &text) == Status.invalidArgument.rawValue)
            #expect(lastError == "b_json is NULL")
            #expect(llmnas_arch_stats(space, Self.a00, nil) == Status.invalidArgument.rawValue)
            #expect(llmnas_space_sample(space, 1, 1, nil) == Status.invalidArgument.rawValue)
        }
        llmnas_space_free(nil)
        llmnas_string_free(nil)
    }

    @Test func theLastErrorIsClearedBySuccessAndPrivateToItsThread() throws {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_builtin("no-such-space", &space) == Status.notFound.rawValue)
        #expect(lastError.contains("hat-wmt14ende"))
        let other = Thread { precondition(String(cString: llmnas_last_error()) == "") }
        other.start()
        while !other.isFinished { usleep(1000) }
        #expect(lastError.contains("no-such-space"))
        #expect(llmnas_space_builtin("nas-bench-graph", &space) == Status.ok.rawValue)
        #expect(lastError == "")
        llmnas_space_free(space)
    }

    @Test func badTextGivesItsOwnStatus() throws {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_from_json("{\"name\": ", &space) == Status.malformedJSON.rawValue)
        #expect(lastError.contains("byte 9: unexpected end of text"))
        #expect(llmnas_space_from_json("{\"name\": \"x\"}", &space) == Status.invalidSpace.rawValue)
        let invalidUTF8: [CChar] = [0x7B, CChar(bitPattern: 0xFF), 0x7D, 0]
        #expect(llmnas_space_from_json(invalidUTF8, &space) == Status.invalidArgument.rawValue)
        #expect(lastError == "json is not valid UTF-8")
        #expect(space == nil)
        try withSpace { space in
            #expect(llmnas_arch_validate(space, "{\"encoder_embed_dim\": 512") == Status.malformedJSON.rawValue)
            #expect(llmnas_arch_validate(space, Self.a00.replacingOccurrences(of: "[3072]", with: "[4096]")) == Status.invalidArchitecture.rawValue)
            #expect(lastError.contains("'decoder_ffn_embed_dim[0]' = 4096"))
            #expect(llmnas_arch_validate(space, Self.a00) == Status.ok.rawValue)
        }
    }

    @Test func featuresReportTheirLengthAndATooSmallBuffer() throws {
        try withSpace { space in
            var count: UInt = 0
            #expect(llmnas_space_feature_count(space, &count) == Status.ok.rawValue)
            #expect(count == 10)
            var buffer = [Float](repeating: -1, count: 10)
            var length: UInt = 0
            #expect(llmnas_arch_features(space, Self.a00, &buffer, 3, &length) == Status.bufferTooSmall.rawValue)
            #expect(length == 10)
            #expect(buffer[0] == -1)
            #expect(llmnas_arch_features(space, Self.a00, nil, 0, &length) == Status.bufferTooSmall.rawValue)
            #expect(llmnas_arch_features(space, Self.a00, &buffer, 10, &length) == Status.ok.rawValue)
            #expect(buffer == [512, 6, 1536, Float(28.0 / 6.0), 640, 1, 3072, 8, 4, 3])
        }
    }

    @Test func batchFeaturesFillRowsAndNameTheBadElement() throws {
        try withSpace { space in
            var sample: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_space_sample(space, 9, 4, &sample) == Status.ok.rawValue)
            let archs = take(sample)!
            var rows: UInt = 0
            var matrix = [Float](repeating: 0, count: 40)
            #expect(llmnas_arch_features_batch(space, archs, &matrix, 39, &rows) == Status.bufferTooSmall.rawValue)
            #expect(rows == 4)
            #expect(llmnas_arch_features_batch(space, archs, &matrix, 40, &rows) == Status.ok.rawValue)
            let list = try JSONParser.parse(archs).arrayValue!
            for (i, arch) in list.enumerated() {
                var row = [Float](repeating: 0, count: 10)
                var length: UInt = 0
                #expect(llmnas_arch_features(space, JSONWriter.write(arch), &row, 10, &length) == Status.ok.rawValue)
                #expect(Array(matrix[(i * 10)..<(i * 10 + 10)]) == row)
            }
            #expect(llmnas_arch_features_batch(space, "[\(Self.a00), {}]", &matrix, 40, &rows) == Status.invalidArchitecture.rawValue)
            #expect(lastError.hasPrefix("architecture 1: missing hyperparameter"))
            #expect(llmnas_arch_features_batch(space, "[]", nil, 0, &rows) == Status.ok.rawValue)
            #expect(rows == 0)
        }
    }

    @Test func samplingIsFixedBySeedAndBounded() throws {
        try withSpace("nas-bench-graph") { space in
            var a: UnsafeMutablePointer<CChar>? = nil, b: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_space_sample(space, 42, 50, &a) == Status.ok.rawValue)
            #expect(llmnas_space_sample(space, 42, 50, &b) == Status.ok.rawValue)
            let first = take(a)!
            #expect(first == take(b))
            let parsed = try JSONParser.parse(first)
            #expect(parsed.arrayValue?.count == 50)
            #expect(llmnas_space_sample(space, 42, 0, &a) == Status.ok.rawValue)
            #expect(take(a) == "[]")
            #expect(llmnas_space_sample(space, 42, UInt.max, &a) == Status.invalidArgument.rawValue)
            #expect(lastError.contains("1000000"))
        }
    }

    @Test func mutateCrossoverAndStatsReturnJSON() throws {
        try withSpace { space in
            var out: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_arch_mutate(space, Self.a00, 1.0, 3, &out) == Status.ok.rawValue)
            let child = take(out)!
            #expect(llmnas_arch_validate(space, child) == Status.ok.rawValue)
            #expect(llmnas_arch_mutate(space, Self.a00, 0.0, 3, &out) == Status.ok.rawValue)
            #expect(take(out) == Self.a00)
            #expect(llmnas_arch_mutate(space, Self.a00, -0.1, 3, &out) == Status.invalidArgument.rawValue)
            #expect(llmnas_arch_crossover(space, Self.a00, child, 4, &out) == Status.ok.rawValue)
            #expect(llmnas_arch_validate(space, take(out)) == Status.ok.rawValue)
            #expect(llmnas_arch_stats(space, Self.a00, &out) == Status.ok.rawValue)
            let stats = try JSONParser.parse(take(out)!)
            #expect(stats["params"] == .number(22_199_936))
            #expect(stats["flops"] == .number(2_669_506_728))
        }
        try withSpace("nas-bench-graph") { space in
            var out: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_arch_stats(space, #"{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}"#, &out) == Status.unsupported.rawValue)
            #expect(out == nil)
        }
    }

    @Test func spacesRoundTripThroughTheCInterface() throws {
        var names: UnsafeMutablePointer<CChar>? = nil
        #expect(llmnas_space_builtin_names(&names) == Status.ok.rawValue)
        let list = try JSONParser.parse(take(names)!).arrayValue!.compactMap(\.stringValue)
        #expect(list == BuiltinSpaces.names)
        for name in list {
            try withSpace(name) { space in
                var json: UnsafeMutablePointer<CChar>? = nil
                #expect(llmnas_space_to_json(space, &json) == Status.ok.rawValue)
                let text = take(json)!
                var copy: OpaquePointer? = nil
                #expect(llmnas_space_from_json(text, &copy) == Status.ok.rawValue)
                #expect(llmnas_space_to_json(copy, &json) == Status.ok.rawValue)
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
                var status = Status.ok.rawValue
                for seed in 0..<200 {
                    var out: UnsafeMutablePointer<CChar>? = nil
                    status = min(status, llmnas_space_sample(handle, UInt64(seed * 8 + i), 3, &out))
                    llmnas_string_free(out)
                }
                if status != Status.ok.rawValue { failures.withLock { $0 += 1 } }
            }
            #expect(failures.withLock { $0 } == 0)
        }
    }
}

/// Paths in the source tree.
enum RepoPaths {
    static let header = RepoData.root + "/include/llmnas.h"
}
