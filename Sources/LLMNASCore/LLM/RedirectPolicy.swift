/// Which redirects a client follows: none (the default: a 3xx is an HTTP error), or those that stay on the
/// endpoint's scheme, host and port, so that no request and no key reaches another host.
public enum RedirectPolicy: String, Sendable {
    /// A redirect is an answer: HTTP 3xx, never followed.
    case never
    /// 301, 302, 307 and 308 to the same scheme, host and port are followed (the request sent again as it was),
    /// up to `maximumHops` in a row; any other is refused.
    case sameHost = "same_host"

    /// The most redirects followed for one request.
    public static let maximumHops = 5

    /// The URL to send a request redirected from `url` by `status` with `location` to, or why it is not followed.
    func target(of location: String, from url: String, status: Int) -> Result<String, LLMNASError> {
        let refused = { (why: String) in
            Result<String, LLMNASError>.failure(
                LLMNASError(.httpError, "HTTP \(status): a redirect to \(location), not followed (\(why))"))
        }
        guard self == .sameHost else { return refused("the client's \"redirects\" is \"never\"") }
        guard [301, 302, 307, 308].contains(status) else { return refused("only 301, 302, 307 and 308 are followed") }
        guard let origin = RedirectPolicy.origin(of: url) else { return refused("the request's URL has no origin") }
        let target = location.hasPrefix("/") && !location.hasPrefix("//") ? origin.text + location : location
        guard let targetOrigin = RedirectPolicy.origin(of: target), targetOrigin == origin else {
            return refused("another host than \(origin.text)")
        }
        return .success(target)
    }

    /// Scheme, host and port of an absolute http(s) URL (the port the scheme's default when absent), lowercased;
    /// `text` is "scheme://host:port".
    static func origin(of url: String) -> (scheme: String, host: String, port: Int, text: String)? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@"), !authority.isEmpty else { return nil }  // no user info: it hides the host
        var host = authority.lowercased()
        var port = scheme == "https" ? 443 : 80
        if let colon = host.lastIndex(of: ":"), !host[colon...].contains("]") {
            guard let given = Int(host[host.index(after: colon)...]), (1...65535).contains(given) else { return nil }
            port = given
            host = String(host[..<colon])
        }
        return (scheme, host, port, "\(scheme)://\(host):\(port)")
    }
}
