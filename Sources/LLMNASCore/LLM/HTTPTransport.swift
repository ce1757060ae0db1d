import CCurl

/// One HTTP request: a POST with a body, or a GET.
struct HTTPRequest {
    /// The full URL.
    let url: String
    /// Header lines ("Name: value").
    let headers: [String]
    /// The body of a POST; nil makes the request a GET.
    let body: [UInt8]?
    /// The largest response body accepted; nil: the transport's bound.
    var responseLimit: Int? = nil
}

/// Whether the transport may start a job now.
enum HTTPAdmission {
    /// Start it with this request.
    case send(HTTPRequest)
    /// Not yet: ask again after a transfer in flight finishes. With nothing in flight it counts as `refused`.
    case later
    /// Never: the caller has ended the job itself.
    case refused
}

/// What one HTTP attempt ended with.
enum HTTPOutcome {
    /// The server answered: its status, body and `Retry-After` in seconds when it sent one.
    case response(status: Int, body: [UInt8], retryAfter: Double?)
    /// The server answered a 3xx with a `Location` (never followed by the transport: the caller decides).
    case redirect(status: Int, location: String)
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
    init(timeoutSeconds: Double, maxConcurrency: Int, maxResponseBytes: Int, verifyTLS: Bool) throws(LLMNASError) {
        let global = HTTPTransport.globalInit
        guard global == CURLE_OK else {
            throw LLMNASError(
                .outOfMemory, "libcurl could not be initialised: \(String(cString: curl_easy_strerror(global)))")
        }
        guard let multi = curl_multi_init() else {
            throw LLMNASError(.outOfMemory, "libcurl could not create a multi handle")
        }
        // Keep a connection per concurrent transfer open between requests, so each is reused, not re-established.
        let code = llmnas_curlm_set_long(multi, CURLMOPT_MAXCONNECTS, maxConcurrency)
        guard code == CURLM_OK else {
            curl_multi_cleanup(multi)
            throw LLMNASError(
                .invalidArgument,
                "libcurl refused CURLMOPT_MAXCONNECTS \(maxConcurrency): \(String(cString: curl_multi_strerror(code)))")
        }
        self.multi = multi
        self.timeoutSeconds = timeoutSeconds
        self.maxConcurrency = maxConcurrency
        self.maxResponseBytes = maxResponseBytes
        self.verifyTLS = verifyTLS
    }

    deinit { curl_multi_cleanup(multi) }

    /// libcurl's one-time global setup, run by the first transport; its result is kept for every later one.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// The state of one transfer in flight, reached from libcurl's callbacks through its user pointer.
    private final class Transfer {
        let job: Int
        let handle: UnsafeMutableRawPointer
        let headers: UnsafeMutablePointer<curl_slist>?
        let limit: Int
        var body: [UInt8] = []
        var retryAfter: Double?
        var location: String?
        var tooLarge = false
        /// The body could not grow: the memory for it was not there.
        var exhausted = false

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
        if transfer.body.count + n > transfer.body.capacity {
            let capacity = min(transfer.limit, max(2 * transfer.body.capacity, transfer.body.count + n))
            guard Memory.available(capacity) else {
                transfer.exhausted = true
                return 0
            }
            transfer.body.reserveCapacity(capacity)
        }
        if let data { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: n)) }
        return n
    }

    private static let receiveHeader: llmnas_curl_data_fn = { data, size, count, user in
        let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
        let n = size * count
        guard let data else { return n }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
        let lowercased = line.lowercased()
        if lowercased.hasPrefix("retry-after:") {
            let value = line.dropFirst("retry-after:".count).trimmingCharacters(in: " \t\r\n")
            if let seconds = Double(value), seconds.isFinite, seconds >= 0 { transfer.retryAfter = seconds }
        } else if lowercased.hasPrefix("location:") {
            transfer.location = line.dropFirst("location:".count).trimmingCharacters(in: " \t\r\n")
        }
        return n
    }

    /// Runs `count` jobs in order. `admit(i, inFlight)` is asked before each attempt of job i, with the number of
    /// transfers in flight: it gives the request, asks to wait for one of them, or refuses the job.
    /// `finished(i, outcome)` returns nil when job i is done or the seconds to wait before trying it again.
    /// `keepGoing()` is asked between events; false aborts the transfers in flight and returns.
    func run(
        count: Int, admit: (Int, Int) -> HTTPAdmission, finished: (Int, HTTPOutcome) -> Double?, keepGoing: () -> Bool
    ) {
        var waiting: [(job: Int, notBefore: Double)] = (0..<count).map { ($0, 0) }
        waiting.reverse()  // popped from the end: job 0 first
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        defer {
            for transfer in active.values { release(transfer, from: multi) }
        }
        while !waiting.isEmpty || !active.isEmpty {
            guard keepGoing() else { return }
            let now = MonotonicClock.now()
            var index = waiting.count - 1
            admitting: while index >= 0, active.count < maxConcurrency {
                if waiting[index].notBefore <= now {
                    let job = waiting[index].job
                    let request: HTTPRequest
                    switch admit(job, active.count) {
                    case .later where !active.isEmpty: break admitting
                    case .later, .refused:
                        waiting.remove(at: index)
                        index -= 1
                        continue
                    case .send(let admitted): request = admitted
                    }
                    waiting.remove(at: index)
                    switch start(job, request, in: multi) {
                    case .success(let transfer): active[transfer.handle] = transfer
                    case .failure(let error):
                        if let delay = finished(job, .failure(error.kind, error.message)) {
                            waiting.insert((job, MonotonicClock.now() + delay), at: 0)
                        }
                    }
                }
                index -= 1
            }
            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            guard performed == CURLM_OK else {
                failAll(
                    &active, requeueing: &waiting, HTTPTransport.multiFailure("curl_multi_perform", performed),
                    finished: finished)
                continue
            }
            var queued: Int32 = 0
            var finishedAny = false
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                    let transfer = active.removeValue(forKey: handle)
                else { continue }
                let outcome = self.outcome(of: transfer, result: message.pointee.data.result)
                release(transfer, from: multi)
                finishedAny = true
                if let delay = finished(transfer.job, outcome) {
                    waiting.insert((transfer.job, MonotonicClock.now() + delay), at: 0)
                }
            }
            if finishedAny { continue }  // start the next transfers before waiting on sockets
            var wait = 0.05
            if active.isEmpty, let next = waiting.map(\.notBefore).min() {
                wait = max(0, min(wait, next - MonotonicClock.now()))
            }
            let polled = curl_multi_poll(multi, nil, 0, Int32(wait * 1000), nil)
            if polled != CURLM_OK {
                failAll(
                    &active, requeueing: &waiting, HTTPTransport.multiFailure("curl_multi_poll", polled),
                    finished: finished)
            }
        }
    }

    /// Ends every transfer in flight with `error`, handing each job to `finished`; a job it schedules for another
    /// attempt goes back to `waiting`.
    private func failAll(
        _ active: inout [UnsafeMutableRawPointer: Transfer], requeueing waiting: inout [(job: Int, notBefore: Double)],
        _ error: LLMNASError, finished: (Int, HTTPOutcome) -> Double?
    ) {
        for transfer in active.values {
            release(transfer, from: multi)
            if let delay = finished(transfer.job, .failure(error.kind, error.message)) {
                waiting.insert((transfer.job, MonotonicClock.now() + delay), at: 0)
            }
        }
        active = [:]
    }

    /// The error of a failed call on the multi handle.
    private static func multiFailure(_ call: String, _ code: CURLMcode) -> LLMNASError {
        LLMNASError(
            code == CURLM_OUT_OF_MEMORY ? .outOfMemory : .io,
            "libcurl's \(call) failed: \(String(cString: curl_multi_strerror(code)))")
    }

    /// A transfer of `request` added to `multi`, or why libcurl refused to set it up (every option's result is
    /// checked; nothing is left allocated on failure).
    private func start(_ job: Int, _ request: HTTPRequest, in multi: UnsafeMutableRawPointer) -> Result<
        Transfer, LLMNASError
    > {
        if faultInjected(.http) {
            return .failure(
                LLMNASError(
                    .connectionFailed, "\(String(cString: curl_easy_strerror(CURLE_COULDNT_CONNECT))) (\(request.url))")
            )
        }
        guard let handle = curl_easy_init() else {
            return .failure(LLMNASError(.outOfMemory, "libcurl could not create an easy handle"))
        }
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        for line in request.headers {
            guard let appended = curl_slist_append(headers, line) else {
                curl_slist_free_all(headers)
                curl_easy_cleanup(handle)
                return .failure(LLMNASError(.outOfMemory, "libcurl could not allocate a header list"))
            }
            headers = appended
        }
        let transfer = Transfer(
            job: job, handle: handle, headers: headers, limit: request.responseLimit ?? maxResponseBytes)
        let user = Unmanaged.passUnretained(transfer).toOpaque()
        var options: [(String, () -> CURLcode)] = [
            ("CURLOPT_URL", { llmnas_curl_set_string(handle, CURLOPT_URL, request.url) })
        ]
        if let body = request.body {
            options += [
                ("CURLOPT_POST", { llmnas_curl_set_long(handle, CURLOPT_POST, 1) }),
                ("CURLOPT_POSTFIELDSIZE", { llmnas_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, body.count) }),
                (
                    "CURLOPT_COPYPOSTFIELDS",
                    {
                        body.withUnsafeBytes {
                            llmnas_curl_set_pointer(
                                handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
                        }
                    }
                ),
            ]
        } else {
            options.append(("CURLOPT_HTTPGET", { llmnas_curl_set_long(handle, CURLOPT_HTTPGET, 1) }))
        }
        options += [
            ("CURLOPT_HTTPHEADER", { llmnas_curl_set_list(handle, CURLOPT_HTTPHEADER, headers) }),
            (
                "CURLOPT_TIMEOUT_MS",
                { llmnas_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(self.timeoutSeconds * 1000)) }
            ),
            (
                "CURLOPT_CONNECTTIMEOUT_MS",
                { llmnas_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(self.timeoutSeconds, 30) * 1000)) }
            ),
            ("CURLOPT_NOSIGNAL", { llmnas_curl_set_long(handle, CURLOPT_NOSIGNAL, 1) }),
            (
                "CURLOPT_SSL_VERIFYPEER",
                { llmnas_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, self.verifyTLS ? 1 : 0) }
            ),
            (
                "CURLOPT_SSL_VERIFYHOST",
                { llmnas_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, self.verifyTLS ? 2 : 0) }
            ),
            ("CURLOPT_ACCEPT_ENCODING", { llmnas_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "") }),
            // A body announced over the bound is refused at its headers; libcurl never follows a redirect: the client
            // decides (by default not at all; with "redirects": "same_host" only to the endpoint's own host).
            (
                "CURLOPT_MAXFILESIZE",
                { llmnas_curl_set_long(handle, CURLOPT_MAXFILESIZE, min(transfer.limit, Int(Int32.max))) }
            ),
            ("CURLOPT_FOLLOWLOCATION", { llmnas_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0) }),
            (
                "CURLOPT_WRITEFUNCTION",
                { llmnas_curl_set_data_fn(handle, CURLOPT_WRITEFUNCTION, HTTPTransport.receiveBody) }
            ),
            ("CURLOPT_WRITEDATA", { llmnas_curl_set_pointer(handle, CURLOPT_WRITEDATA, user) }),
            (
                "CURLOPT_HEADERFUNCTION",
                { llmnas_curl_set_data_fn(handle, CURLOPT_HEADERFUNCTION, HTTPTransport.receiveHeader) }
            ),
            ("CURLOPT_HEADERDATA", { llmnas_curl_set_pointer(handle, CURLOPT_HEADERDATA, user) }),
        ]
        for (name, set) in options {
            let code = set()
            guard code == CURLE_OK else {
                curl_easy_cleanup(handle)
                curl_slist_free_all(headers)
                let kind: LLMNASError.Kind = code == CURLE_OUT_OF_MEMORY ? .outOfMemory : .invalidArgument
                return .failure(
                    LLMNASError(kind, "libcurl refused \(name): \(String(cString: curl_easy_strerror(code)))"))
            }
        }
        let added = curl_multi_add_handle(multi, handle)
        guard added == CURLM_OK else {
            curl_easy_cleanup(handle)
            curl_slist_free_all(headers)
            return .failure(HTTPTransport.multiFailure("curl_multi_add_handle", added))
        }
        return .success(transfer)
    }

    private func outcome(of transfer: Transfer, result: CURLcode) -> HTTPOutcome {
        if result == CURLE_OK {
            var status = 0
            let code = llmnas_curl_get_long(transfer.handle, CURLINFO_RESPONSE_CODE, &status)
            guard code == CURLE_OK else {
                return .failure(
                    .badResponse, "libcurl has no response code: \(String(cString: curl_easy_strerror(code)))")
            }
            if (300...399).contains(status), let location = transfer.location, !location.isEmpty {
                return .redirect(status: status, location: location)
            }
            return .response(status: status, body: transfer.body, retryAfter: transfer.retryAfter)
        }
        let reason = String(cString: curl_easy_strerror(result))
        if transfer.exhausted {
            return .failure(.outOfMemory, "no memory for more than \(transfer.body.count) bytes of the response")
        }
        if transfer.tooLarge || result == CURLE_FILESIZE_EXCEEDED {
            return .failure(.badResponse, "the response exceeds the bound of \(transfer.limit) bytes")
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
