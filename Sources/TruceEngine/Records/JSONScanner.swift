/// The fields any record type knows about. The scanner captures only these;
/// every other key is validated as JSON and skipped.
public enum Field: Int, CaseIterable, Sendable {
    case type, id, sector, status, at, observed, kind, scale, source, note
    case action, incident, by, member, text, title, start, speed

    public var name: String { Field.names[rawValue] }

    static let count = 18
    static let names = ["type", "id", "sector", "status", "at", "observed", "kind", "scale", "source", "note",
                        "action", "incident", "by", "member", "text", "title", "start", "speed"]

    /// The field a key of at most 8 bytes names, given as those bytes read
    /// little-endian with the rest zero (no key holds a raw NUL: JSON has it
    /// escaped). One switch on an integer; a test holds it to `names`.
    @inline(__always)
    static func lookup(packed w: UInt64) -> Field? {
        switch w {
        case 0x6570_7974: return .type  // "type"
        case 0x6469: return .id  // "id"
        case 0x726F_7463_6573: return .sector  // "sector"
        case 0x7375_7461_7473: return .status  // "status"
        case 0x7461: return .at  // "at"
        case 0x6465_7672_6573_626F: return .observed  // "observed"
        case 0x646E_696B: return .kind  // "kind"
        case 0x65_6C61_6373: return .scale  // "scale"
        case 0x6563_7275_6F73: return .source  // "source"
        case 0x6574_6F6E: return .note  // "note"
        case 0x6E6F_6974_6361: return .action  // "action"
        case 0x746E_6564_6963_6E69: return .incident  // "incident"
        case 0x7962: return .by  // "by"
        case 0x7265_626D_656D: return .member  // "member"
        case 0x7478_6574: return .text  // "text"
        case 0x65_6C74_6974: return .title  // "title"
        case 0x74_7261_7473: return .start  // "start"
        case 0x64_6565_7073: return .speed  // "speed"
        default: return nil
        }
    }

    /// The field a key names, if any (a key read the long way: escaped,
    /// longer than 8 bytes, or at the end of the line): packed as
    /// `lookup(packed:)` reads it. A key holding a NUL (only an escaped one
    /// can) names none.
    static func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Field? {
        guard key.count <= 8 else { return nil }
        var w: UInt64 = 0
        for k in 0..<key.count {
            guard key[k] != 0 else { return nil }
            w |= UInt64(key[k]) << (8 * UInt64(k))
        }
        return lookup(packed: w)
    }
}

/// Where a known field's value sits in the line: its JSON type and byte
/// range. Strings are materialised only when a record keeps them, so a
/// timestamp or a status never becomes a heap-allocated String.
struct RawField {
    enum Kind: UInt8 { case absent, string, number, bool, null, object, array }
    var kind: Kind = .absent
    /// For strings: content without quotes; for numbers: the literal.
    var start: Int32 = 0
    var end: Int32 = 0
    var escaped = false
    var flag = false  // a boolean's value

    var typeName: String {
        switch kind {
        case .absent: return "absent"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .object: return "an object"
        case .array: return "an array"
        }
    }
}

/// The known fields of one JSON object, read from the line they point into.
struct CapturedFields {
    let line: UnsafeBufferPointer<UInt8>
    let slots: UnsafeMutableBufferPointer<RawField>
    /// Where repeated values are kept from line to line, if the caller keeps them.
    var interner: UnsafeMutablePointer<StringInterner>? = nil

    subscript(_ f: Field) -> RawField { slots[f.rawValue] }

    /// The raw bytes of a string field without escapes, or nil.
    func plainBytes(_ f: Field) -> UnsafeBufferPointer<UInt8>? {
        let r = slots[f.rawValue]
        guard r.kind == .string, !r.escaped else { return nil }
        return UnsafeBufferPointer(rebasing: line[Int(r.start)..<Int(r.end)])
    }

    /// The decoded text of a string field.
    func string(_ f: Field) -> String {
        let r = slots[f.rawValue]
        let s = JSONScanner(line)
        if r.escaped { return (try? s.decodeString(Int(r.start), Int(r.end))) ?? "" }
        return String(decoding: UnsafeBufferPointer(rebasing: line[Int(r.start)..<Int(r.end)]), as: UTF8.self)
    }

    /// The decoded text of a string field whose values repeat from line to
    /// line: from the interner when there is one and the value has no escapes.
    func repeatedString(_ f: Field) -> String {
        if let interner, let b = plainBytes(f) { return interner.pointee.string(b) }
        return string(f)
    }

    func number(_ f: Field) -> Double {
        let r = slots[f.rawValue]
        return Double(String(decoding: UnsafeBufferPointer(rebasing: line[Int(r.start)..<Int(r.end)]), as: UTF8.self))
            ?? .infinity
    }
}

/// A JSON syntax problem, with the 1-based column (in bytes) where it was found.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var column: Int
    public var description: String { "not valid JSON: \(message) at column \(column)" }
}

/// A strict RFC 8259 scanner for one line holding one JSON object.
struct JSONScanner {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    static let maxDepth = 256

    init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    /// Parses the whole line as one object and returns its known fields.
    /// A line that is valid JSON but not an object yields `nil`.
    static func scanObject(
        _ bytes: UnsafeBufferPointer<UInt8>, into slots: UnsafeMutableBufferPointer<RawField>
    ) throws(JSONSyntaxError) -> Bool {
        var s = JSONScanner(bytes)
        s.skipWS()
        guard s.i < s.b.count else { throw s.error("empty input") }
        if s.b[s.i] != UInt8(ascii: "{") {
            try s.skipValue(depth: 0)
            s.skipWS()
            guard s.i == s.b.count else { throw s.error("unexpected data after the value") }
            return false
        }
        try s.parseTopObject(slots)
        s.skipWS()
        guard s.i == s.b.count else { throw s.error("unexpected data after the object") }
        return true
    }

    func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, column: i + 1) }

    func unexpected() -> JSONSyntaxError {
        guard i < b.count else { return error("unexpected end of line") }
        let c = b[i]
        if c >= 0x21 && c < 0x7f { return error("unexpected '\(Character(Unicode.Scalar(c)))'") }
        return error("unexpected byte 0x\(String(c, radix: 16, uppercase: true))")
    }

    @inline(__always) mutating func skipWS() {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 } else { return }
        }
    }

    @inline(__always) mutating func expect(_ c: UInt8) throws(JSONSyntaxError) {
        guard i < b.count, b[i] == c else { throw unexpected() }
        i += 1
    }

    mutating func parseTopObject(_ fields: UnsafeMutableBufferPointer<RawField>) throws(JSONSyntaxError) {
        i += 1  // '{'
        skipWS()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipWS()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw unexpected() }
            let keyColumn = i + 1
            var field: Field?
            // A key of at most 8 plain bytes (every known one) in one load:
            // its closing quote found and its field named as one integer.
            if !shortKey(&field) {
                let (start, end, escaped) = try scanString()
                if escaped {
                    let key = try decodeString(start, end)
                    var k = Array(key.utf8)
                    field = k.withUnsafeMutableBufferPointer { Field.lookup(UnsafeBufferPointer($0)) }
                } else {
                    field = Field.lookup(UnsafeBufferPointer(rebasing: b[start..<end]))
                }
            }
            skipWS()
            try expect(UInt8(ascii: ":"))
            skipWS()
            if let field {
                if fields[field.rawValue].kind != .absent {
                    throw JSONSyntaxError(message: "duplicate key \"\(field.name)\"", column: keyColumn)
                }
                fields[field.rawValue] = try captureValue()
            } else {
                try skipValue(depth: 1)
            }
            skipWS()
            guard i < b.count else { throw unexpected() }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return }
            throw unexpected()
        }
    }

    /// At a key's opening quote: when the next 8 bytes hold its closing
    /// quote with nothing before it to look at (no backslash or control
    /// character), moves past the key, sets `field` (nil for an unknown key)
    /// and returns true; otherwise returns false and moves nothing.
    @inline(__always)
    mutating func shortKey(_ field: inout Field?) -> Bool {
        guard b.count - (i + 1) >= 8, let base = b.baseAddress else { return false }
        let w = ByteWord.load(base + i + 1)
        let stops = JSONScanner.stringStops(w)
        if stops == 0 {  // eight plain bytes: the key if its quote comes next
            guard b.count - (i + 1) > 8, b[i + 9] == UInt8(ascii: "\"") else { return false }
            field = Field.lookup(packed: w)
            i += 10
            return true
        }
        let n = ByteWord.first(stops)
        guard b[i + 1 + n] == UInt8(ascii: "\"") else { return false }  // an escape or a control character first
        field = Field.lookup(packed: n == 0 ? 0 : w & (UInt64.max >> (64 - 8 * UInt64(n))))
        i += n + 2
        return true
    }

    mutating func captureValue() throws(JSONSyntaxError) -> RawField {
        guard i < b.count else { throw unexpected() }
        switch b[i] {
        case UInt8(ascii: "\""):
            let (s, e, esc) = try scanString()
            if esc { _ = try decodeString(s, e) }  // surface lone surrogates now
            return RawField(kind: .string, start: Int32(s), end: Int32(e), escaped: esc)
        case UInt8(ascii: "{"):
            try skipValue(depth: 1); return RawField(kind: .object)
        case UInt8(ascii: "["):
            try skipValue(depth: 1); return RawField(kind: .array)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try literal()
        default:
            let start = i
            try skipNumber()
            return RawField(kind: .number, start: Int32(start), end: Int32(i))
        }
    }

    mutating func literal() throws(JSONSyntaxError) -> RawField {
        func matches(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard b.count - i >= n else { return false }
            let p = word.utf8Start
            for j in 0..<n where b[i + j] != p[j] { return false }
            return true
        }
        if matches("true") { i += 4; return RawField(kind: .bool, flag: true) }
        if matches("false") { i += 5; return RawField(kind: .bool, flag: false) }
        if matches("null") { i += 4; return RawField(kind: .null) }
        throw unexpected()
    }

    mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard depth < JSONScanner.maxDepth else { throw error("nesting is too deep") }
        guard i < b.count else { throw unexpected() }
        switch b[i] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            i += 1; skipWS()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return }
            while true {
                skipWS()
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw unexpected() }
                _ = try scanString()
                skipWS(); try expect(UInt8(ascii: ":")); skipWS()
                try skipValue(depth: depth + 1)
                skipWS()
                guard i < b.count else { throw unexpected() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return }
                throw unexpected()
            }
        case UInt8(ascii: "["):
            i += 1; skipWS()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return }
            while true {
                skipWS()
                try skipValue(depth: depth + 1)
                skipWS()
                guard i < b.count else { throw unexpected() }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return }
                throw unexpected()
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try literal()
        default:
            try skipNumber()
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func skipNumber() throws(JSONSyntaxError) {
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < b.count && b[k] >= 48 && b[k] <= 57 }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { throw unexpected() }
        if b[i] == 48 { i += 1 } else { while isDigit(i) { i += 1 } }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw unexpected() }
            while isDigit(i) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { throw unexpected() }
            while isDigit(i) { i += 1 }
        }
    }

    /// Scans a string starting at the opening quote. Returns the content's
    /// byte range and whether it holds escapes. Validates escapes and rejects
    /// raw control characters.
    @inline(__always)
    mutating func scanString() throws(JSONSyntaxError) -> (Int, Int, Bool) {
        i += 1
        let start = i
        var escaped = false
        while i < b.count {
            // Eight bytes at a time up to the first quote, backslash or control character.
            if b.count - i >= 8, let base = b.baseAddress {
                let stops = JSONScanner.stringStops(ByteWord.load(base + i))
                if stops == 0 {
                    i += 8
                    continue
                }
                i += ByteWord.first(stops)
            }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let end = i
                i += 1
                return (start, end, escaped)
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 1
                guard i < b.count else { break }
                switch b[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    guard b.count - i >= 5, hex4(i + 1) != nil else { throw error("bad \\u escape") }
                    i += 5
                default:
                    throw JSONSyntaxError(message: "bad escape '\\\(Character(Unicode.Scalar(b[i])))'", column: i)
                }
                continue
            }
            if c < 0x20 { throw error("control character in a string (must be escaped)") }
            i += 1
        }
        throw error("unterminated string")
    }

    /// The bytes of `w` that end a string's plain run: `"`, `\` or one below
    /// 0x20 (see `ByteWord`).
    @inline(__always)
    static func stringStops(_ w: UInt64) -> UInt64 {
        ByteWord.bytes(w, equalTo: 0x22) | ByteWord.bytes(w, equalTo: 0x5C) | ByteWord.bytes(w, below: 0x20)
    }

    func hex4(_ k: Int) -> UInt32? {
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            let c = b[j]
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 65...70: d = c - 55
            case 97...102: d = c - 87
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Decodes a scanned string with escapes. Lone surrogates are refused.
    func decodeString(_ start: Int, _ end: Int) throws(JSONSyntaxError) -> String {
        var out = [UInt8]()
        out.reserveCapacity(end - start)
        var k = start
        while k < end {
            let c = b[k]
            if c != UInt8(ascii: "\\") { out.append(c); k += 1; continue }
            let e = b[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(k)!
                k += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard k + 6 <= end, b[k] == UInt8(ascii: "\\"), b[k + 1] == UInt8(ascii: "u"),
                          let low = hex4(k + 2), low >= 0xDC00, low <= 0xDFFF
                    else { throw JSONSyntaxError(message: "lone surrogate in \\u escape", column: k - 5) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw JSONSyntaxError(message: "lone surrogate in \\u escape", column: k - 5)
                }
                let u = Unicode.Scalar(scalar)!
                out.append(contentsOf: UTF8.encode(u)!)
            default: out.append(e)  // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// UTF-8 validation (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
/// Returns the byte offset of the first invalid sequence, or nil.
func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = b.count
    // Fast path: 32, then eight ASCII bytes at a time.
    let base = UnsafeRawPointer(b.baseAddress)
    if let base {
        while n - i >= 32 {
            let any = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) | base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            if any & 0x8080_8080_8080_8080 != 0 { break }
            i += 32
        }
    }
    while i < n {
        if let base, n - i >= 8, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
            continue
        }
        let c = b[i]
        if c < 0x80 { i += 1; continue }
        @inline(__always) func cont(_ k: Int) -> Bool { k < n && b[k] & 0xC0 == 0x80 }
        if c >= 0xC2 && c <= 0xDF {
            guard cont(i + 1) else { return i }
            i += 2
        } else if c >= 0xE0 && c <= 0xEF {
            guard cont(i + 1), cont(i + 2) else { return i }
            let c1 = b[i + 1]
            if c == 0xE0 && c1 < 0xA0 { return i }  // overlong
            if c == 0xED && c1 >= 0xA0 { return i }  // surrogate
            i += 3
        } else if c >= 0xF0 && c <= 0xF4 {
            guard cont(i + 1), cont(i + 2), cont(i + 3) else { return i }
            let c1 = b[i + 1]
            if c == 0xF0 && c1 < 0x90 { return i }
            if c == 0xF4 && c1 >= 0x90 { return i }
            i += 4
        } else {
            return i
        }
    }
    return nil
}
