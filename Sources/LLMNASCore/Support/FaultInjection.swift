import Glibc

#if LLMNAS_FAULT_INJECTION
    import Synchronization
#endif

/// A call into the system that can fail: what the torture test fails in turn.
package enum FaultPoint: String, Sendable, CaseIterable {
    /// open(2) of a file.
    case open
    /// read(2).
    case read
    /// write(2): an injected fault writes the first half of the bytes, then fails as a full disk does.
    case write
    /// fsync(2).
    case fsync
    /// rename(2).
    case rename
    /// flock(2).
    case lock
    /// ftruncate(2).
    case truncate
    /// One HTTP attempt (a request handed to libcurl).
    case http

    /// The errno an injected fault at this point leaves, the one a real failure there most often has.
    var errorNumber: Int32 {
        switch self {
        case .open: EMFILE
        case .read, .fsync, .truncate, .http: EIO
        case .write: ENOSPC
        case .rename: EROFS
        case .lock: ENOLCK
        }
    }
}

/// True when the current fault plan fails this call to `point` (it then sets errno as the real failure would).
/// Release builds have no plan and always answer false; the check compiles away.
@inline(__always)
func faultInjected(_ point: FaultPoint) -> Bool {
    #if LLMNAS_FAULT_INJECTION
        if let plan = FaultPlan.current, plan.fails(point) {
            errno = point.errorNumber
            return true
        }
    #endif
    return false
}

#if LLMNAS_FAULT_INJECTION
    /// Test builds only (the flag LLMNAS_FAULT_INJECTION, set for debug builds in Package.swift, never in the release
    /// library): counts the fallible calls made while it is the current plan of a task and fails the N-th of them.
    /// A plan is per task (`FaultPlan.$current.withValue`), so tests running in parallel do not disturb each other.
    package final class FaultPlan: Sendable {
        /// The plan of the running task, if any.
        @TaskLocal package static var current: FaultPlan?

        private let failing: Int?
        private let counted = Mutex<[FaultPoint]>([])

        /// A plan failing the `failing`-th fallible call (1-based); nil only counts them.
        package init(failing: Int? = nil) { self.failing = failing }

        /// The fallible calls made under the plan, in order.
        package var calls: [FaultPoint] { counted.withLock { $0 } }

        /// The call the plan failed (its number and point), nil if it failed none.
        package var injected: (call: Int, point: FaultPoint)? {
            let calls = self.calls
            guard let failing, failing <= calls.count else { return nil }
            return (failing, calls[failing - 1])
        }

        /// Counts a call to `point`; true when it is the one to fail.
        fileprivate func fails(_ point: FaultPoint) -> Bool {
            counted.withLock { calls in
                calls.append(point)
                return calls.count == failing
            }
        }
    }
#endif
