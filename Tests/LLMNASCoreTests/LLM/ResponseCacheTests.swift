import Foundation
import Testing

@testable import LLMNASCore

/// One response cache file shared by several openers (Ray actors share one): nothing written by one is lost to
/// another, whatever the order of opening and appending.
@Suite struct ResponseCacheTests {
    @Test func openersOfOneFileKeepEachOthersRecords() throws {
        let path = NSTemporaryDirectory() + "llmnas-shared-cache-\(getpid())"
        unlink(path)
        defer { unlink(path) }
        let a = try ResponseCache(path: path)
        let b = try ResponseCache(path: path)  // both open the new, empty file
        try a.store("answer a", for: "key a")
        try b.store("answer b", for: "key b")
        let c = try ResponseCache(path: path)
        try c.store("answer c", for: "key c")
        try a.store("answer a2", for: "key a2")
        let reread = try ResponseCache(path: path)
        #expect(reread.count == 4)
        #expect(
            try ["key a", "key b", "key c", "key a2"].map { try reread.value(for: $0) } == [
                "answer a", "answer b", "answer c", "answer a2",
            ])
        #expect(try FileIO.read(path).prefix(8) == Array("LLMNASRC".utf8)[...], "one header, written once")
    }

    @Test func concurrentOpenersAndWritersLoseNothing() throws {
        let path = NSTemporaryDirectory() + "llmnas-shared-cache-threads-\(getpid())"
        unlink(path)
        defer { unlink(path) }
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            guard let cache = try? ResponseCache(path: path) else { return }
            for i in 0..<50 { try? cache.store("answer \(worker)-\(i)", for: "key \(worker)-\(i)") }
        }
        #expect(try ResponseCache(path: path).count == 400)
    }
}
