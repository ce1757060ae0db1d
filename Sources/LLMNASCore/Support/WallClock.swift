import Glibc

/// The date: seconds since 1970-01-01 UTC, for the times a search's trials record (never for durations of the
/// library's own waits, which `MonotonicClock` measures).
public enum WallClock {
    /// Seconds since the Unix epoch, with the clock's fraction.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
