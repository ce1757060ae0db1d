/// A `multipart/form-data` body (RFC 7578) of text fields and one file, as the Batch API's file upload takes it.
struct MultipartForm {
    /// The Content-Type header value, with the boundary.
    let contentType: String
    /// The encoded body.
    let body: [UInt8]

    /// Encodes `fields` (name, value) and the file. The boundary is chosen so that it occurs in no part.
    init(fields: [(String, String)], fileField: String, fileName: String, fileType: String, content: [UInt8]) {
        var boundary = "llmnas-form-\(String(CRC32.checksum(content), radix: 16))"
        let text = String(decoding: content, as: UTF8.self) + fields.map { $0.0 + $0.1 }.joined()
        while text.contains(boundary) { boundary += "-" }
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        let fileHeader =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; "
            + "filename=\"\(fileName)\"\r\nContent-Type: \(fileType)\r\n\r\n"
        body += Array(fileHeader.utf8)
        body += content
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        contentType = "multipart/form-data; boundary=\(boundary)"
        self.body = body
    }
}
