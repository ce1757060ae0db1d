/// A client's spending bounds (`max_cost`, `max_requests` of its config) and the decision, before each request,
/// whether it may go: a request is sent only when its worst-case cost, with the worst cases of the requests in
/// flight, keeps the client within `max_cost`, and it is not past `max_requests`.
struct Budget {
    /// The most dollars over the client's lifetime; nil: no bound.
    let maxCost: Double?
    /// The most completion requests; nil: no bound.
    let maxRequests: Int?

    /// What the budget says of one request.
    enum Decision {
        /// Send it.
        case go
        /// Not yet: the requests in flight may cost less than their worst case; ask again when one has finished.
        case wait
        /// Never: it would pass a bound.
        case refuse(LLMNASError)
    }

    /// The decision for a request of worst-case cost `worstCost`, when `spent` dollars were charged, `reserved` is
    /// the worst-case cost of the `inFlight` requests not yet answered and `made` requests were made before them.
    func decide(spent: Double, reserved: Double, made: Int, inFlight: Int, worstCost: Double) -> Decision {
        if let maxRequests, made + inFlight >= maxRequests {
            return .refuse(
                LLMNASError(.budgetExceeded, "not sent: the client made its max_requests of \(maxRequests) requests"))
        }
        // A relative slack of 1e-12 keeps rounding in the sums from refusing a request that fits exactly.
        if let maxCost, spent + reserved + worstCost > maxCost * (1 + 1e-12) {
            if inFlight > 0 { return .wait }
            return .refuse(
                LLMNASError(
                    .budgetExceeded,
                    "not sent: it may cost up to $\(DecimalFormat.fixed(worstCost, 6)) "
                        + "and $\(DecimalFormat.fixed(spent, 6)) of the max_cost of "
                        + "$\(DecimalFormat.fixed(maxCost, 6)) is spent"
                ))
        }
        return .go
    }
}
