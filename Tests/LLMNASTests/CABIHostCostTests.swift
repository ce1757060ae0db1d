import CLLMNAS
import Testing

/// A host cost through the C functions: binding, the statuses of a NULL, a wrong name and a failing callback, and
/// counts the library checks.
@Suite struct CABIHostCostTests {
    static let space =
        #"{"name": "head", "task": "a classifier head", "metric": {"name": "accuracy", "min": 0, "max": 100}, "#
        + #""hyperparameters": [{"name": "units", "meaning": "hidden units", "choices": [64, 128]}], "#
        + #""cost_model": {"kind": "host", "name": "head_cost"}}"#

    var lastError: String { String(cString: llmnas_last_error()) }

    /// The stats of {"units": 64} in `space`, or nil with the status.
    func stats(_ space: OpaquePointer?) -> (llmnas_status, String?) {
        var out: UnsafeMutablePointer<CChar>? = nil
        let status = llmnas_arch_stats(space, #"{"units": 64}"#, &out)
        defer { llmnas_string_free(out) }
        return (status, out.map { String(cString: $0) })
    }

    @Test func aBoundCostCountsAndEveryMisuseHasItsStatus() throws {
        var space: OpaquePointer? = nil
        #expect(llmnas_space_from_json(Self.space, &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        #expect(stats(space).0 == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError.contains("'head_cost', which is not bound"))
        var bound: OpaquePointer? = nil
        #expect(llmnas_space_with_cost(space, "head_cost", nil, nil, &bound) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_space_with_cost(space, "other", { _, _, _, _ in 0 }, nil, &bound) == LLMNAS_NOT_FOUND)
        #expect(bound == nil)
        let units:
            @convention(c) (
                UnsafePointer<CChar>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?,
                UnsafeMutableRawPointer?
            ) -> Int32 = { arch, params, flops, _ in
                params!.pointee = String(cString: arch!).contains("64") ? 1000 : 2000
                flops!.pointee = 2 * params!.pointee
                return 0
            }
        #expect(llmnas_space_with_cost(space, "head_cost", units, nil, &bound) == LLMNAS_OK)
        defer { llmnas_space_free(bound) }
        #expect(stats(bound).1?.contains(#""params":1000,"#) == true)
        #expect(stats(space).0 == LLMNAS_INVALID_ARGUMENT, "the space given is unchanged")
        var failing: OpaquePointer? = nil
        #expect(llmnas_space_with_cost(space, "head_cost", { _, _, _, _ in 7 }, nil, &failing) == LLMNAS_OK)
        defer { llmnas_space_free(failing) }
        #expect(stats(failing).0 == LLMNAS_CANCELLED)
        #expect(lastError == "host cost 'head_cost' returned 7")
        var negative: OpaquePointer? = nil
        #expect(
            llmnas_space_with_cost(
                space, "head_cost",
                { _, params, flops, _ in
                    params!.pointee = -1
                    flops!.pointee = 0
                    return 0
                }, nil, &negative) == LLMNAS_OK)
        defer { llmnas_space_free(negative) }
        #expect(stats(negative).0 == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError.contains("host cost 'head_cost' gave params -1.0"))
    }

    @Test func aBoundFeaturizerWritesTheFeaturesAndEveryMisuseHasItsStatus() throws {
        var space: OpaquePointer? = nil
        let definition = Self.space.replacing(
            #""cost_model": {"kind": "host", "name": "head_cost"}"#, with: #""featurizer": {"name": "f", "count": 2}"#)
        #expect(llmnas_space_from_json(definition, &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        var out = [Float](repeating: 0, count: 2)
        var length = 0
        #expect(llmnas_arch_features(space, #"{"units": 64}"#, &out, 2, &length) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError.contains("'f', which is not bound") && length == 2)
        var bound: OpaquePointer? = nil
        #expect(llmnas_space_with_featurizer(space, "f", nil, nil, &bound) == LLMNAS_INVALID_ARGUMENT)
        #expect(llmnas_space_with_featurizer(space, "g", { _, _, _, _ in 0 }, nil, &bound) == LLMNAS_NOT_FOUND)
        let halves:
            @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<Float>?, Int, UnsafeMutableRawPointer?)
                -> Int32 = { arch, out, count, _ in
                    let units: Float = String(cString: arch!).contains("64") ? 64 : 128
                    for i in 0..<count { out![i] = units / Float(i + 1) }
                    return 0
                }
        #expect(llmnas_space_with_featurizer(space, "f", halves, nil, &bound) == LLMNAS_OK)
        defer { llmnas_space_free(bound) }
        #expect(llmnas_arch_features(bound, #"{"units": 128}"#, &out, 2, &length) == LLMNAS_OK)
        #expect(out == [128, 64])
        var names: UnsafeMutablePointer<CChar>? = nil
        #expect(llmnas_space_feature_names(bound, &names) == LLMNAS_OK)
        #expect(String(cString: names!) == #"["f[0]","f[1]"]"#)
        llmnas_string_free(names)
        var unwritten: OpaquePointer? = nil
        #expect(llmnas_space_with_featurizer(space, "f", { _, _, _, _ in 0 }, nil, &unwritten) == LLMNAS_OK)
        defer { llmnas_space_free(unwritten) }
        #expect(llmnas_arch_features(unwritten, #"{"units": 64}"#, &out, 2, &length) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError.contains("featurizer 'f' gave feature 0 = nan"))
    }
}
