import Glibc

/// Whole-file reads and the atomic and append-only writes the library's files rely on.
public enum FileIO {
    /// The largest file the library reads whole.
    public static let maximumFileBytes = 1 << 30

    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(LLMNASError) -> [UInt8] {
        let fd = faultInjected(.open) ? -1 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open '\(path)'") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var status = stat()
        if fstat(fd, &status) == 0, status.st_size > 0 {
            guard status.st_size <= maximumFileBytes else {
                throw LLMNASError(.io, "'\(path)' is larger than \(maximumFileBytes) bytes")
            }
            try Memory.reserve(Int(status.st_size), for: "the contents of '\(path)'")
            bytes.reserveCapacity(Int(status.st_size))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n =
                faultInjected(.read) ? -1 : chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read '\(path)'")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= maximumFileBytes else {
                throw LLMNASError(.io, "'\(path)' is larger than \(maximumFileBytes) bytes")
            }
        }
    }

    /// The UTF-8 text of the file at `path`.
    public static func readText(_ path: String) throws(LLMNASError) -> String {
        let bytes = try read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LLMNASError(.corruptFile, "'\(path)' is not UTF-8 text")
        }
        return text
    }

    /// True when a file exists at `path`.
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Replaces the file at `path` with `bytes` atomically: written to a temporary file in the same folder, flushed,
    /// then renamed over the old one, so a crash leaves the old file or the new one, never half of one.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(LLMNASError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = faultInjected(.open) ? -1 : open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("cannot create '\(temporary)'") }
        do throws(LLMNASError) {
            try writeAll(fd, bytes[...], path: temporary)
            guard !faultInjected(.fsync), fsync(fd) == 0 else { throw ioError("cannot flush '\(temporary)'") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard !faultInjected(.rename), rename(temporary, path) == 0 else {
            let failure = ioError("cannot rename '\(temporary)' to '\(path)'")
            unlink(temporary)
            throw failure
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws(LLMNASError) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n =
                faultInjected(.write)
                ? failWrite(fd, bytes[offset...])
                : bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot write '\(path)'")
            }
            offset += n
        }
    }

    /// An injected write fault as a full disk gives it: the first half of `bytes` written, then -1 with ENOSPC.
    private static func failWrite(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int {
        let error = errno
        _ = bytes.prefix(bytes.count / 2).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        errno = error
        return -1
    }

    /// An I/O error carrying the system's reason.
    static func ioError(_ what: String) -> LLMNASError {
        LLMNASError(.io, "\(what): \(String(cString: strerror(errno)))")
    }
}
