import CLLMNAS
import Glibc

/// The library's version, "MAJOR.MINOR.PATCH" from the header's LLMNAS_VERSION_* macros, in static storage.
nonisolated(unsafe) private let versionText: UnsafeMutablePointer<CChar>? = strdup(
    "\(LLMNAS_VERSION_MAJOR).\(LLMNAS_VERSION_MINOR).\(LLMNAS_VERSION_PATCH)")

/// Returned by `llmnas_status_string` for a value the header's status list does not hold.
private let unknownStatus: StaticString = "LLMNAS_UNKNOWN_STATUS: not a status of this library"

/// `llmnas_version_string`: the library's version as "MAJOR.MINOR.PATCH"; static storage.
@c @implementation public func llmnas_version_string() -> UnsafePointer<CChar>? { UnsafePointer(versionText) }

/// `llmnas_abi_version`: the ABI generation the binary implements, the header's LLMNAS_ABI_VERSION.
@c @implementation public func llmnas_abi_version() -> CInt { LLMNAS_ABI_VERSION }

/// `llmnas_status_string`: the name and meaning of a status code from the header's list; static storage, never NULL.
@c @implementation public func llmnas_status_string(_ status: llmnas_status) -> UnsafePointer<CChar>? {
    llmnas_status_text(status.rawValue) ?? UnsafeRawPointer(unknownStatus.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `llmnas_last_error`: the message of the calling thread's last failed call, "" after a success.
@c @implementation public func llmnas_last_error() -> UnsafePointer<CChar>? { LastError.current }

/// `llmnas_string_free`: frees a string the library returned; NULL is ignored.
@c @implementation public func llmnas_string_free(_ string: UnsafeMutablePointer<CChar>?) { free(string) }
