import Glibc

/// Zero-initialised floats owned by one object and freed with it: the buffers of a training run, which its hot loops
/// address through plain pointers (no copy-on-write checks, no nested closures).
final class FloatBlock {
    /// The first float.
    let base: UnsafeMutablePointer<Float>
    /// How many floats.
    let count: Int

    /// `count` floats, all zero; `outOfMemory` naming `what` when they cannot be allocated.
    init(count: Int, for what: @autoclosure () -> String) throws(LLMNASError) {
        guard let zeros = calloc(max(count, 1), MemoryLayout<Float>.stride) else {
            throw Memory.exhausted(
                count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride).partialValue, what())
        }
        self.count = count
        base = zeros.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// A copy of the floats.
    var values: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Overwrites the first floats with `values` (as many as both hold).
    func assign(_ values: [Float]) {
        values.withUnsafeBufferPointer { source in
            guard let start = source.baseAddress else { return }
            base.update(from: start, count: min(count, source.count))
        }
    }

    deinit { free(base) }
}
