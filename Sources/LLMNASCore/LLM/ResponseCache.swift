import Glibc

/// A persistent cache of LLM responses, so that rerunning the same work pays for nothing twice.
///
/// The file starts with the magic "LLMNASRC" and a format version (u32, little-endian), then holds records appended
/// one by one, each written with a single `write`: key length and value length (u32 each), the key, the value, and
/// the CRC-32 of all of it. A crash can only cut the last record short; opening the file drops such a tail (and a
/// tail whose checksum fails) and appends after the last good record. A file with another header is refused, never
/// overwritten. Processes sharing a file (e.g. Ray actors) serialise through an exclusive `flock`, so one never
/// mistakes another's record in progress for a damaged tail. Keys are the endpoint and the full request body, never
/// a header, so no API key reaches the file.
package final class ResponseCache {
    private static let magic = Array("LLMNASRC".utf8)
    private static let version: UInt32 = 1
    private static let headerBytes = magic.count + 4

    /// The file's path.
    let path: String
    private var entries: [String: String] = [:]
    private let fd: Int32

    /// Opens (or creates) the cache file at `path` and reads its records. Several processes may share one file:
    /// opening (header, reading, dropping a damaged tail) and every append hold an exclusive `flock` on it.
    package init(path: String) throws(LLMNASError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileIO.ioError("cannot open the response cache '\(path)'") }
        self.fd = fd
        do throws(LLMNASError) {
            try ResponseCache.lock(fd, path)
            defer { flock(fd, LOCK_UN) }
            let existing = try FileIO.read(path)
            if existing.isEmpty {
                var header = ResponseCache.magic
                LittleEndian.append(ResponseCache.version, to: &header)
                try FileIO.writeAll(fd, header[...], path: path)
                return
            }
            guard existing.count >= ResponseCache.headerBytes, Array(existing[0..<8]) == ResponseCache.magic else {
                throw LLMNASError(.corruptFile, "'\(path)' is not an llmnas response cache (bad magic)")
            }
            let version = LittleEndian.u32(existing, at: 8)
            guard version == ResponseCache.version else {
                throw LLMNASError(.corruptFile, "'\(path)' is a response cache of format \(version); this library reads format \(ResponseCache.version)")
            }
            let goodLength = ResponseCache.readRecords(existing, into: &entries)
            if goodLength < existing.count {
                guard ftruncate(fd, off_t(goodLength)) == 0 else { throw FileIO.ioError("cannot drop the damaged tail of '\(path)'") }
            }
        } catch {
            close(fd)
            throw error
        }
    }

    /// Takes the exclusive lock that serialises openings and appends across processes sharing the file.
    private static func lock(_ fd: Int32, _ path: String) throws(LLMNASError) {
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw FileIO.ioError("cannot lock the response cache '\(path)'") }
        }
    }

    deinit { close(fd) }

    /// Runs `body` holding the cache's exclusive lock: what other files beside the cache (the Batch API job list)
    /// use to serialise their read-modify-write across processes.
    func withLock<T>(_ body: () throws(LLMNASError) -> T) throws(LLMNASError) -> T {
        try ResponseCache.lock(fd, path)
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// How many responses the cache holds.
    package var count: Int { entries.count }

    /// The cached response for `key`, if any.
    func value(for key: String) -> String? { entries[key] }

    /// Stores `value` under `key`, in memory and appended to the file.
    package func store(_ value: String, for key: String) throws(LLMNASError) {
        guard entries[key] == nil else { return }
        let keyBytes = Array(key.utf8), valueBytes = Array(value.utf8)
        var record: [UInt8] = []
        record.reserveCapacity(12 + keyBytes.count + valueBytes.count)
        LittleEndian.append(UInt32(keyBytes.count), to: &record)
        LittleEndian.append(UInt32(valueBytes.count), to: &record)
        record += keyBytes
        record += valueBytes
        LittleEndian.append(CRC32.checksum(record), to: &record)
        try ResponseCache.lock(fd, path)
        defer { flock(fd, LOCK_UN) }
        try FileIO.writeAll(fd, record[...], path: path)
        entries[key] = value
    }

    /// Reads records after the header into `entries`; returns the length of the intact prefix of the file.
    private static func readRecords(_ bytes: [UInt8], into entries: inout [String: String]) -> Int {
        var offset = headerBytes
        while offset + 8 <= bytes.count {
            let keyLength = Int(LittleEndian.u32(bytes, at: offset)), valueLength = Int(LittleEndian.u32(bytes, at: offset + 4))
            let end = offset + 8 + keyLength + valueLength
            guard end + 4 <= bytes.count, CRC32.checksum(bytes[offset..<end]) == LittleEndian.u32(bytes, at: end),
                  let key = String(validating: bytes[(offset + 8)..<(offset + 8 + keyLength)], as: UTF8.self),
                  let value = String(validating: bytes[(offset + 8 + keyLength)..<end], as: UTF8.self)
            else { break }
            entries[key] = value
            offset = end + 4
        }
        return offset
    }
}
