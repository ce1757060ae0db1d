import LLMNASCore

/// The object behind an `llmnas_space *`: an immutable search space, so one handle may be used from any number of
/// threads at once.
final class SpaceHandle {
    /// The space the handle stands for.
    let space: SearchSpace

    init(_ space: SearchSpace) { self.space = space }

    /// A +1 reference for the caller, released by `llmnas_space_free`.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// The space behind a borrowed handle argument named `name`.
    static func space(_ pointer: OpaquePointer?, _ name: String = "space") throws(LLMNASError) -> SearchSpace {
        guard let pointer else { throw LLMNASError(.invalidArgument, "\(name) is NULL") }
        return Unmanaged<SpaceHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue().space
    }

    /// Releases the caller's reference; NULL is ignored.
    static func release(_ pointer: OpaquePointer?) {
        guard let pointer else { return }
        Unmanaged<SpaceHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}
