import Testing

@testable import LLMNASCore

@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e2, true, false, null], "b": "x\"\u00e9\ud83d\ude00\n"} "#)
        #expect(value["a"] == .array([.number(1), .number(-250), .bool(true), .bool(false), .null]))
        #expect(value["b"] == .string("x\"é😀\n"))
    }

    @Test func writesCompactTextThatReadsBack() throws {
        let text = #"{"k":[512,1877.3333333333333,"a\\b\"c\u0001"],"e":{},"n":null}"#
        let value = try JSONParser.parse(text)
        #expect(JSONWriter.write(value) == text)
        #expect(try JSONParser.parse(JSONWriter.write(value)) == value)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "{'a':1}", "01", "1.", "-", "1e", "NaN", "tru",
        "\"abc", "\"\\x\"", "\"\\ud800\"", "\"a\u{01}b\"", "{\"a\":1,\"a\":2}",
        "{" + (0..<12).map { "\"k\($0)\":0," }.joined() + "\"k3\":1}", "[1] 2", "1e999", "\"\\u12G4\"",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: LLMNASError.self) { try JSONParser.parse(text) }
        do { _ = try JSONParser.parse(text) } catch {
            #expect(error.kind == .malformedJSON)
            #expect(error.message.contains("byte"))
        }
    }

    @Test func boundsTheNestingDepth() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: LLMNASError.self) { try JSONParser.parse(deep) }
    }

    @Test func readsIntegersExactly() throws {
        #expect(try JSONParser.parse("512").exactInt == 512)
        #expect(try JSONParser.parse("512.0").exactInt == 512)
        #expect(try JSONParser.parse("512.5").exactInt == nil)
        #expect(try JSONParser.parse("1e300").exactInt == nil)
    }
}
