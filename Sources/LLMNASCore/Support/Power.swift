/// x to the power n by repeated multiplication (a negative n divides), without Foundation: space sizes, decimal
/// scales, backoff, place values.
func power(_ x: Double, _ n: Int) -> Double {
    let magnitude = (0..<n.magnitude).reduce(1.0) { product, _ in product * x }
    return n < 0 ? 1 / magnitude : magnitude
}
