/// What a long operation reports as it works: its stage, the items of the stage done and in all, and a figure of
/// the stage (a training loss, an iteration's best score), NaN when the stage has none.
public struct ProgressReport: Sendable, Equatable {
    /// What is running, e.g. "llmpp", "calibration", "train", "search".
    public let stage: String
    /// Items of the stage finished.
    public let done: Int
    /// Items in the stage.
    public let total: Int
    /// The stage's figure, or NaN.
    public let value: Double

    /// A report from its parts.
    public init(stage: String, done: Int, total: Int, value: Double = .nan) {
        self.stage = stage
        self.done = done
        self.total = total
        self.value = value
    }

    /// The same report under another stage name (an operation naming the part it delegated).
    public func renamed(_ stage: String) -> ProgressReport {
        ProgressReport(stage: stage, done: done, total: total, value: value)
    }
}

/// The one progress callback every long operation of the core reports through: called with each report, it returns
/// false to cancel, and the operation then stops with `.cancelled`, keeping what was done.
public typealias ProgressHandler = (ProgressReport) -> Bool
