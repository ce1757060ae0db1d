/// x to the power n (n ≥ 0) by repeated multiplication, without Foundation: space sizes, decimal scales, backoff.
func power(_ x: Double, _ n: Int) -> Double {
    (0..<max(n, 0)).reduce(1.0) { product, _ in product * x }
}
