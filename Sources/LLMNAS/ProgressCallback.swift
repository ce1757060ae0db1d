/// The memory layout of `llmnas_progress` in include/llmnas.h: stage, done, total, value.
struct ProgressRecord {
    var stage: UnsafePointer<CChar>?
    var done: UInt
    var total: UInt
    var value: Double
}

/// `llmnas_progress_fn`: the record (as `const llmnas_progress *`) and the host's user data; nonzero cancels.
public typealias ProgressFunction = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32

/// Calls a host's progress function, if it gave one, and reports whether to go on.
struct ProgressCallback {
    let function: ProgressFunction?
    let userData: UnsafeMutableRawPointer?

    /// True to continue: no function, or the function returned 0.
    func report(stage: String, done: Int, total: Int, value: Double = .nan) -> Bool {
        guard let function else { return true }
        return stage.withCString { name in
            var record = ProgressRecord(stage: name, done: UInt(done), total: UInt(total), value: value)
            return withUnsafePointer(to: &record) { function(UnsafeRawPointer($0), userData) } == 0
        }
    }
}
