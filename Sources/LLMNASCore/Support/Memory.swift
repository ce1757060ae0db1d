import Glibc

/// Allocations whose size comes from the input (a file's length, a batch's rows, a model's widths), checked before
/// they are made: Swift traps when an allocation fails, and a trap must never cross the C boundary.
enum Memory {
    /// Throws `outOfMemory` naming `what` when `bytes` cannot be allocated now. The probe is a mapping of that size,
    /// as malloc makes for a large block (a malloc and free the compiler would remove, assuming success), unmapped
    /// at once; the caller then allocates the same size, which the address space just shown free holds.
    static func reserve(_ bytes: Int, for what: @autoclosure () -> String) throws(LLMNASError) {
        guard available(bytes) else { throw exhausted(bytes, what()) }
    }

    /// Whether `bytes` can be allocated now (always true of buffers up to 1 MiB, which are not probed).
    static func available(_ bytes: Int) -> Bool {
        guard bytes > 1 << 20 else { return true }
        let probe = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let probe, probe != MAP_FAILED else { return false }
        munmap(probe, bytes)
        return true
    }

    /// The error of an allocation of `bytes` for `what` that failed.
    static func exhausted(_ bytes: Int, _ what: String) -> LLMNASError {
        LLMNASError(
            .outOfMemory, "cannot allocate \(DecimalFormat.fixed(Double(bytes) / 1_048_576, 1)) MiB for \(what)")
    }
}
