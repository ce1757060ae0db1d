import Foundation
import LLMNASCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The loopback OpenAI-compatible server of tools/python/llmnas_support/scripted_llm_server.py, started for a suite and
/// stopped with it. Tests script its answers and faults and read its request log.
public final class ScriptedServer: @unchecked Sendable {
    public let port: Int
    private let process: Process

    /// The base URL for clients: "http://127.0.0.1:PORT/v1".
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    public init() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepoData.root + "/tools/python/llmnas_support/scripted_llm_server.py"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                throw LLMNASError(.io, "the scripted server exited before it printed its port")
            }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            throw LLMNASError(.io, "unexpected first line: \(text)")
        }
        self.port = port
    }

    deinit {
        // Foundation's Process reaps the child; waitUntilExit() would spin off the main thread.
        kill(process.processIdentifier, SIGKILL)
    }

    private func post(_ path: String, _ body: String) async throws {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        _ = try await URLSession.shared.data(for: request)
    }

    /// Empties the log and the Batch API's files and jobs, and sets the rules (JSON text of the rule list), a delay
    /// for every answer and whether /apply-template and /tokenize answer.
    public func script(_ rules: String = "[]", delay: Double = 0, tokenizer: Bool = false) async throws {
        try await post("/_control/reset", "{}")
        try await post("/_control/script", "{\"rules\": \(rules), \"delay\": \(delay), \"tokenizer\": \(tokenizer)}")
    }

    /// How Batch API jobs end (JSON members: "polls", "outcome", "answered"), for new jobs and those not yet ended.
    public func batchScript(_ members: String) async throws {
        try await post("/_control/batch", "{\(members)}")
    }

    /// The Batch API jobs created since the last script ("batches") and the number of files uploaded ("files").
    public func batches() async throws -> JSONValue {
        let (data, _) = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(port)/_control/batches")!)
        return try JSONParser.parse(String(decoding: data, as: UTF8.self))
    }

    /// One logged request.
    public struct Logged {
        public let path: String
        public let headers: [String: String]
        public let body: String
        public let start: Double
        public let end: Double
        /// The usage the server answered with (nil for faults).
        public let usage: JSONValue?
    }

    /// The completion requests received since the last script.
    public func log() async throws -> [Logged] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/_control/log")!)
        let json = try JSONParser.parse(String(decoding: data, as: UTF8.self))
        return (json["requests"]?.arrayValue ?? []).map { entry in
            var headers: [String: String] = [:]
            for (name, value) in entry["headers"]?.objectMembers ?? [] {
                headers[name.lowercased()] = value.stringValue
            }
            func number(_ key: String) -> Double {
                if case .number(let d) = entry[key] { return d } else { return .nan }
            }
            return Logged(
                path: entry["path"]?.stringValue ?? "", headers: headers, body: entry["body"]?.stringValue ?? "",
                start: number("start"), end: number("end"), usage: entry["usage"] == .null ? nil : entry["usage"])
        }
    }

    /// The most requests the server was answering at one moment.
    public static func maximumOverlap(_ log: [Logged]) -> Int {
        var events: [(time: Double, change: Int)] = []
        for entry in log {
            events.append((entry.start, 1))
            events.append((entry.end, -1))
        }
        events.sort { (a: (time: Double, change: Int), b: (time: Double, change: Int)) -> Bool in
            a.time != b.time ? a.time < b.time : a.change < b.change
        }
        var current = 0
        var best = 0
        for event in events {
            current += event.change
            best = max(best, current)
        }
        return best
    }

    /// A port on 127.0.0.1 where nothing listens.
    public static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        close(fd)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A client of `server` with `extra` config keys (JSON members without braces).
public func makeClient(_ server: ScriptedServer, _ extra: String = "", environment: [String: String] = [:]) throws
    -> LLMClient
{
    let separator = extra.isEmpty ? "" : ", "
    let config = try LLMConfig(
        json: JSONParser.parse(
            "{\"base_url\": \"\(server.baseURL)\", \"model\": \"scripted\", \"backoff_seconds\": "
                + "0.01\(separator)\(extra)}"
        ))
    return try LLMClient(config: config) { environment[$0] }
}
