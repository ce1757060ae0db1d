/// Fixed-point text of a number, as C's "%.Nf" writes it for the values the library prints (GFLOPs, scores,
/// table cells), without Foundation. Halves round away from zero.
public enum DecimalFormat {
    /// `value` with exactly `decimals` digits after the point ("nan" and "inf" for non-finite values).
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let scale = power(10, decimals)
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return JSONWriter.formatNumber(value) }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        let fraction = units % UInt64(scale)
        var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }
}
