/// A stable least-significant-digit radix sort of (primary, secondary) key pairs, 16 bits a pass: the integer sort
/// behind Kendall's tau-b. Inputs below `radixThreshold` take a comparison sort instead, since each radix pass clears
/// and sums 65,536 counters whatever the input's size.
enum RadixSort {
    /// The smallest input sorted by radix passes.
    static let radixThreshold = 4096

    /// A pair of keys, sorted by `primary`, ties by `secondary`.
    struct KeyPair {
        var primary: UInt64
        var secondary: UInt64
    }

    /// Sorts `pairs` by primary key, ties by secondary key; with `primaryOnly`, ties keep their order.
    static func sort(_ pairs: inout [KeyPair], primaryOnly: Bool = false) {
        guard pairs.count > 1 else { return }
        guard pairs.count >= radixThreshold else {
            // Position breaks the remaining ties, which keeps the comparison sort stable.
            pairs = pairs.enumerated().sorted {
                ($0.element.primary, primaryOnly ? 0 : $0.element.secondary, $0.offset)
                    < ($1.element.primary, primaryOnly ? 0 : $1.element.secondary, $1.offset)
            }.map(\.element)
            return
        }
        var scratch = pairs
        var counts = [Int](repeating: 0, count: (1 << 16) + 1)
        for usePrimary in primaryOnly ? [true] : [false, true] {
            for shift in stride(from: UInt64(0), to: 64, by: 16) {
                @inline(__always) func digit(_ pair: KeyPair) -> Int {
                    Int(((usePrimary ? pair.primary : pair.secondary) >> shift) & 0xFFFF)
                }
                for d in counts.indices { counts[d] = 0 }
                let first = digit(pairs[0])
                var uniform = true
                for pair in pairs {
                    let d = digit(pair)
                    counts[d + 1] += 1
                    uniform = uniform && d == first
                }
                if uniform { continue }  // every key shares this digit: the pass would change nothing
                for d in 1..<counts.count { counts[d] += counts[d - 1] }
                pairs.withUnsafeBufferPointer { source in
                    scratch.withUnsafeMutableBufferPointer { target in
                        counts.withUnsafeMutableBufferPointer { offsets in
                            for pair in source {
                                let d = digit(pair)
                                target[offsets[d]] = pair
                                offsets[d] += 1
                            }
                        }
                    }
                }
                swap(&pairs, &scratch)
            }
        }
    }
}
