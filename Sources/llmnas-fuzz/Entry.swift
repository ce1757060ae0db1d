import Glibc
import LLMNASCore

/// The harness named by the environment variable LLMNAS_FUZZ_TARGET.
let selectedHarness: @Sendable ([UInt8]) -> Void = {
    let name = getenv("LLMNAS_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let harness = Harnesses.all[name] else {
        print("set LLMNAS_FUZZ_TARGET to one of: \(Harnesses.all.keys.sorted().joined(separator: ", "))")
        exit(2)
    }
    return harness
}()

#if LLMNAS_FUZZ
    /// libFuzzer's driver, linked in by -sanitize=fuzzer.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The executable's entry point under SwiftPM's name for it: hands the command line to libFuzzer.
    @_cdecl("llmnas_fuzz_main")
    public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
            selectedHarness(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
    }
#else
    /// Without libFuzzer: runs the harness on every file given (a corpus or the saved crashes), so the regression
    /// inputs replay in `make test`; `--seed-corpus DIR` writes the seed corpus instead.
    @main
    struct Replay {
        static func main() throws {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if arguments.first == "--seed-corpus", arguments.count == 2 {
                try SeedCorpus.write(to: arguments[1])
                return
            }
            var count = 0
            for path in arguments {
                selectedHarness(try FileIO.read(path))
                count += 1
            }
            print("replayed \(count) inputs")
        }
    }
#endif
