/// Shuffling with the project's portable generator, so an order drawn from a seed is the same on every machine.
extension SeededGenerator {
    /// Shuffles `values` in place (Fisher-Yates).
    public mutating func shuffle(_ values: inout [Int]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, index(below: i + 1)) }
    }
}
