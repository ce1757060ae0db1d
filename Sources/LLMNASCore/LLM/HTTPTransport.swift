import CCurl

/// One HTTP POST of JSON.
struct HTTPRequest {
    /// The full URL.
    let url: String
    /// Header lines ("Name: value").
    let headers: [String]
    /// The request body.
    let body: [UInt8]
}

/// What one HTTP attempt ended with.
enum HTTPOutcome {
    /// The server answered: its status, body and `Retry-After` in seconds when it sent one.
    case response(status: Int, body: [UInt8], retryAfter: Double?)
    /// No answer: a timeout, a failed connection, or a body over the size bound; the kind says which.
    case failure(LLMNASError.Kind, String)
}

/// Runs many HTTP POSTs concurrently on libcurl's multi interface from the calling thread: up to `maxConcurrency`
/// transfers in flight, each bounded in time and in response size. Retries are the caller's decision: after each
/// attempt it returns nil (done) or a delay after which the same request runs again. The multi handle lives as long
/// as the transport, so its open connections serve the next batch too.
final class HTTPTransport {
    private let multi: UnsafeMutableRawPointer
    private let timeoutSeconds: Double
    private let maxConcurrency: Int
    private let maxResponseBytes: Int
    private let verifyTLS: Bool

    /// A transport with the given bounds; `verifyTLS` false skips peer and host verification (unsafe).
    init(timeoutSeconds: Double, maxConcurrency: Int, maxResponseBytes: Int, verifyTLS: Bool) {
        _ = HTTPTransport.globalInit
        multi = curl_multi_init()
        // Keep a connection per concurrent transfer open between requests, so each is reused, not re-established.
        llmnas_curlm_set_long(multi, CURLMOPT_MAXCONNECTS, maxConcurrency)
        self.timeoutSeconds = timeoutSeconds
        self.maxConcurrency = maxConcurrency
        self.maxResponseBytes = maxResponseBytes
        self.verifyTLS = verifyTLS
    }

    deinit { curl_multi_cleanup(multi) }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// The state of one transfer in flight, reached from libcurl's callbacks through its user pointer.
    private final class Transfer {
        let job: Int
        let handle: UnsafeMutableRawPointer
        let headers: UnsafeMutablePointer<curl_slist>?
        let limit: Int
        var body: [UInt8] = []
        var retryAfter: Double?
        var tooLarge = false

        init(job: Int, handle: UnsafeMutableRawPointer, headers: UnsafeMutablePointer<curl_slist>?, limit: Int) {
            self.job = job
            self.handle = handle
            self.headers = headers
            self.limit = limit
        }
    }

    private static let receiveBody: llmnas_curl_data_fn = { data, size, count, user in
        let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
        let n = size * count
        guard transfer.body.count + n <= transfer.limit else {
            transfer.tooLarge = true
            return 0
        }
        if let data { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: n)) }
        return n
    }

    private static let receiveHeader: llmnas_curl_data_fn = { data, size, count, user in
        let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
        let n = size * count
        guard let data else { return n }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
        if line.lowercased().hasPrefix("retry-after:") {
            let value = line.dropFirst("retry-after:".count).trimmingCharacters(in: " \t\r\n")
            if let seconds = Double(value), seconds.isFinite, seconds >= 0 { transfer.retryAfter = seconds }
        }
        return n
    }

    /// Runs `count` jobs. `request(i)` builds job i's request; `finished(i, outcome)` returns nil when job i is done
    /// or the seconds to wait before trying it again. `keepGoing()` is asked between events; false aborts the
    /// transfers in flight and returns.
    func run(count: Int, request: (Int) -> HTTPRequest, finished: (Int, HTTPOutcome) -> Double?, keepGoing: () -> Bool) {
        var waiting: [(job: Int, notBefore: Double)] = (0..<count).map { ($0, 0) }
        waiting.reverse()   // popped from the end: job 0 first
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        defer {
            for transfer in active.values { release(transfer, from: multi) }
        }
        while !waiting.isEmpty || !active.isEmpty {
            guard keepGoing() else { return }
            let now = MonotonicClock.now()
            var index = waiting.count - 1
            while index >= 0, active.count < maxConcurrency {
                if waiting[index].notBefore <= now {
                    let job = waiting.remove(at: index).job
                    let transfer = start(job, request(job), in: multi)
                    active[transfer.handle] = transfer
                }
                index -= 1
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            var finishedAny = false
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let transfer = active.removeValue(forKey: handle) else { continue }
                let outcome = self.outcome(of: transfer, result: message.pointee.data.result)
                release(transfer, from: multi)
                finishedAny = true
                if let delay = finished(transfer.job, outcome) {
                    waiting.insert((transfer.job, MonotonicClock.now() + delay), at: 0)
                }
            }
            if finishedAny { continue }   // start the next transfers before waiting on sockets
            var wait = 0.05
            if active.isEmpty, let next = waiting.map(\.notBefore).min() { wait = max(0, min(wait, next - MonotonicClock.now())) }
            curl_multi_poll(multi, nil, 0, Int32(wait * 1000), nil)
        }
    }

    private func start(_ job: Int, _ request: HTTPRequest, in multi: UnsafeMutableRawPointer) -> Transfer {
        let handle = curl_easy_init()!
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        for line in request.headers { headers = curl_slist_append(headers, line) }
        let transfer = Transfer(job: job, handle: handle, headers: headers, limit: maxResponseBytes)
        let user = Unmanaged.passUnretained(transfer).toOpaque()
        llmnas_curl_set_string(handle, CURLOPT_URL, request.url)
        llmnas_curl_set_long(handle, CURLOPT_POST, 1)
        llmnas_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, request.body.count)
        request.body.withUnsafeBytes { _ = llmnas_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        llmnas_curl_set_list(handle, CURLOPT_HTTPHEADER, headers)
        llmnas_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(timeoutSeconds * 1000))
        llmnas_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(timeoutSeconds, 30) * 1000))
        llmnas_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        llmnas_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, verifyTLS ? 1 : 0)
        llmnas_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, verifyTLS ? 2 : 0)
        llmnas_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        llmnas_curl_set_data_fn(handle, CURLOPT_WRITEFUNCTION, HTTPTransport.receiveBody)
        llmnas_curl_set_pointer(handle, CURLOPT_WRITEDATA, user)
        llmnas_curl_set_data_fn(handle, CURLOPT_HEADERFUNCTION, HTTPTransport.receiveHeader)
        llmnas_curl_set_pointer(handle, CURLOPT_HEADERDATA, user)
        curl_multi_add_handle(multi, handle)
        return transfer
    }

    private func outcome(of transfer: Transfer, result: CURLcode) -> HTTPOutcome {
        if result == CURLE_OK {
            var status = 0
            llmnas_curl_get_long(transfer.handle, CURLINFO_RESPONSE_CODE, &status)
            return .response(status: status, body: transfer.body, retryAfter: transfer.retryAfter)
        }
        let reason = String(cString: curl_easy_strerror(result))
        if transfer.tooLarge {
            return .failure(.badResponse, "the response exceeds the bound of \(maxResponseBytes) bytes")
        }
        switch result {
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timeout, "no answer within \(JSONWriter.formatNumber(timeoutSeconds)) s (\(reason))")
        default:
            return .failure(.connectionFailed, reason)
        }
    }

    private func release(_ transfer: Transfer, from multi: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(multi, transfer.handle)
        curl_easy_cleanup(transfer.handle)
        curl_slist_free_all(transfer.headers)
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        let drop = Set(set)
        return String(self.drop { drop.contains($0) }.reversed().drop { drop.contains($0) }.reversed())
    }
}
