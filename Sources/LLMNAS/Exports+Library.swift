#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The library's version, kept equal to the LLMNAS_VERSION_* macros of include/llmnas.h.
enum LibraryVersion {
    static let text: StaticString = "0.1.0"
    /// Raised only when a published signature or type changes (and the SONAME with it).
    static let abi: Int32 = 1
}

/// `llmnas_version_string`: the library's version as "MAJOR.MINOR.PATCH"; static storage.
@c public func llmnas_version_string() -> UnsafePointer<CChar> {
    UnsafeRawPointer(LibraryVersion.text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `llmnas_abi_version`: the ABI generation the binary implements.
@c public func llmnas_abi_version() -> Int32 { LibraryVersion.abi }

/// `llmnas_status_string`: the name and meaning of a status code; static storage, never NULL.
@c public func llmnas_status_string(_ status: Int32) -> UnsafePointer<CChar> {
    let text: StaticString = Status(rawValue: status)?.text ?? "LLMNAS_UNKNOWN_STATUS: not a status of this library"
    return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// `llmnas_last_error`: the message of the calling thread's last failed call, "" after a success.
@c public func llmnas_last_error() -> UnsafePointer<CChar> { LastError.current }

/// `llmnas_string_free`: frees a string the library returned; NULL is ignored.
@c public func llmnas_string_free(_ string: UnsafeMutablePointer<CChar>?) { free(string) }
