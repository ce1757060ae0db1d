import Glibc

/// Seconds on the monotonic clock: for timeouts, backoff and wall-time measurements (never the date).
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Sleeps for `seconds` (resuming after a signal until they have passed).
    public static func sleep(_ seconds: Double) {
        let end = now() + seconds
        while true {
            let left = end - now()
            guard left > 0 else { return }
            var request = timespec(tv_sec: Int(left), tv_nsec: Int((left - left.rounded(.down)) * 1e9))
            nanosleep(&request, nil)
        }
    }
}
