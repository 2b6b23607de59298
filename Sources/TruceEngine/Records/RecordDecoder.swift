/// Turns one line of JSON Lines input into a typed record, or into the
/// precise reason it is rejected. Pure: no clock and no engine state; rules
/// that depend on state (unknown incident, status changes, …) are the
/// engine's to judge.
public enum RecordDecoder {
    /// Decodes a line given as bytes (without its line terminator).
    public static func decode(_ line: UnsafeBufferPointer<UInt8>) -> DecodedLine { decode(line, validUTF8: false) }

    /// Like `decode(_:)`, keeping the values lines repeat (sectors, kinds,
    /// sources, incidents, members) in `interner` from one line to the next:
    /// for a caller decoding many lines. The result is the same.
    ///
    /// `reportID` is given a line's `id` bytes (unescaped ones) as soon as
    /// the line is scanned, before its values are built: time enough for a
    /// caller to start bringing what it will look the id up in into the
    /// cache (`Engine.prefetchReport(id:)`).
    public static func decode(
        _ line: UnsafeBufferPointer<UInt8>, interning interner: inout StringInterner,
        reportID: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }
    ) -> DecodedLine {
        withUnsafeMutablePointer(to: &interner) { decode(line, validUTF8: false, interner: $0, reportID: reportID) }
    }

    /// `validUTF8`: the bytes are a String's own, which is valid UTF-8 by
    /// construction (checking again costs a pass over the line).
    static func decode(_ line: UnsafeBufferPointer<UInt8>, validUTF8: Bool,
                       interner: UnsafeMutablePointer<StringInterner>? = nil,
                       reportID: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }) -> DecodedLine {
        if isSkipped(line) { return .skip }
        if !validUTF8, let reason = invalidUTF8(line) { return .malformed(reason) }
        return withUnsafeTemporaryAllocation(of: RawField.self, capacity: Field.count) { slots in
            slots.initialize(repeating: RawField())
            do throws(JSONSyntaxError) {
                guard try JSONScanner.scanObject(line, into: slots) else {
                    return .malformed("a record must be a JSON object")
                }
            } catch {
                return .malformed(error.description)
            }
            let fields = CapturedFields(line: line, slots: slots, interner: interner)
            if let id = fields.plainBytes(.id) { reportID(id) }
            return decode(fields)
        }
    }

    /// Why `decode` would reject these bytes as text before reading them as
    /// JSON (`not valid UTF-8 (byte N)`), or nil: for a caller that must hold
    /// a line as a `String` first, which would replace bad bytes unseen.
    public static func utf8Rejection(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        isSkipped(line) ? nil : invalidUTF8(line)
    }

    /// Blank lines and comments (first non-blank character '#') are ignored.
    private static func isSkipped(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        while k < line.count, line[k] == 0x20 || line[k] == 0x09 || line[k] == 0x0D { k += 1 }
        return k == line.count || line[k] == UInt8(ascii: "#")
    }

    private static func invalidUTF8(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        firstInvalidUTF8(line).map { "not valid UTF-8 (byte \($0 + 1))" }
    }

    /// Decodes a line given as a string (a journal's records, tests).
    public static func decode(_ line: String) -> DecodedLine {
        withBytes(of: line) { decode($0, validUTF8: true) }  // a native string's own bytes: no copy
    }

    static func decode(_ f: CapturedFields) -> DecodedLine {
        // The type decides whether `at` applies (a scenario header has none).
        let type = f[.type]
        guard type.kind == .string else {
            let reason = type.kind == .absent ? "\"type\" is required" : "\"type\" must be a string, not \(type.typeName)"
            return .record(at: readAt(f), body: .failure(RecordError(reason)))
        }
        switch RecordType.match(f, .type) {
        case .scenario?: return .record(at: .absent, body: wrap(scenario, f))
        case .report?: return .record(at: readAt(f), body: wrap(report, f))
        case .action?: return .record(at: readAt(f), body: wrap(action, f))
        case .narrate?: return .record(at: readAt(f), body: wrap(narrate, f))
        case nil:
            return .record(at: readAt(f), body: .failure(RecordError(
                "unknown type \"\(f.string(.type))\" (expected scenario, report, action or narrate)")))
        }
    }

    enum RecordType: String, CaseIterable { case scenario, report, action, narrate }

    static func readAt(_ f: CapturedFields) -> AtField {
        let r = f[.at]
        switch r.kind {
        case .absent: return .absent
        case .string:
            switch parseTime(f, .at) {
            case .success(let t): return .spec(t)
            case .failure(let e): return .invalid("\"at\" is \(e.message)")
            }
        default: return .invalid("\"at\" must be a string, not \(r.typeName)")
        }
    }

    static func parseTime(_ f: CapturedFields, _ field: Field) -> Result<TimeSpec, TimeError> {
        if let b = f.plainBytes(field) { return TimeSpec.parse(b) }
        return TimeSpec.parse(f.string(field))
    }

    // MARK: - Field helpers

    /// `repeated`: values of this field recur from line to line (kept in the
    /// caller's interner, if any).
    static func string(_ f: CapturedFields, _ field: Field, required: Bool = false,
                       repeated: Bool = false) throws(RecordError) -> String? {
        let r = f[field]
        switch r.kind {
        case .absent:
            if required { throw RecordError("\"\(field.name)\" is required") }
            return nil
        case .string: return repeated ? f.repeatedString(field) : f.string(field)
        default: throw RecordError("\"\(field.name)\" must be a string, not \(r.typeName)")
        }
    }

    static func nonEmpty(_ f: CapturedFields, _ field: Field, repeated: Bool = false) throws(RecordError) -> String {
        let s = try string(f, field, required: true, repeated: repeated)!
        // Most start with a visible ASCII character: no need to walk the string.
        if let b = f.plainBytes(field), let c = b.first, c > 0x20, c < 0x7F { return s }
        if isBlank(s) { throw RecordError("\"\(field.name)\" must not be empty") }
        return s
    }

    static func oneOf<E: NamedCases>(
        _ f: CapturedFields, _ field: Field, _: E.Type, required: Bool = false
    ) throws(RecordError) -> E? {
        let r = f[field]
        switch r.kind {
        case .absent:
            if required { throw RecordError("\"\(field.name)\" is required") }
            return nil
        case .string:
            if let v = E.match(f, field) { return v }
            let names = E.allCases.map(\.rawValue)
            throw RecordError("\"\(field.name)\" must be one of \(names.joined(separator: ", "))")
        default:
            throw RecordError("\"\(field.name)\" must be a string, not \(r.typeName)")
        }
    }

    static func time(_ f: CapturedFields, _ field: Field) throws(RecordError) -> TimeSpec? {
        let r = f[field]
        switch r.kind {
        case .absent: return nil
        case .string:
            switch parseTime(f, field) {
            case .success(let t): return t
            case .failure(let e): throw RecordError("\"\(field.name)\" is \(e.message)")
            }
        default: throw RecordError("\"\(field.name)\" must be a string, not \(r.typeName)")
        }
    }

    // MARK: - Record types

    static func scenario(_ f: CapturedFields) throws(RecordError) -> RecordBody {
        var h = ScenarioHeader()
        h.title = try string(f, .title)
        switch try time(f, .start) {
        case nil: break
        case .absolute(let t)?: h.start = t
        case .relative?: throw RecordError("\"start\" must be an absolute RFC 3339 time")
        }
        let speed = f[.speed]
        switch speed.kind {
        case .absent: break
        case .number:
            let v = f.number(.speed)
            guard v > 0, v.isFinite else { throw RecordError("\"speed\" must be greater than 0") }
            h.speed = v
        default: throw RecordError("\"speed\" must be a number, not \(speed.typeName)")
        }
        return .scenario(h)
    }

    static func report(_ f: CapturedFields) throws(RecordError) -> RecordBody {
        let id = try nonEmpty(f, .id)
        let sector = try nonEmpty(f, .sector, repeated: true)
        let status = try oneOf(f, .status, ReportStatus.self, required: true)!
        return .report(ReportRecord(
            id: id, sector: sector, status: status,
            observed: try time(f, .observed),
            kind: try string(f, .kind, repeated: true),
            scale: try oneOf(f, .scale, Scale.self),
            source: try string(f, .source, repeated: true),
            note: try string(f, .note)))
    }

    static func action(_ f: CapturedFields) throws(RecordError) -> RecordBody {
        let kind = try oneOf(f, .action, ActionKind.self, required: true)!
        let incident = try string(f, .incident, required: true, repeated: true)!
        let member = try string(f, .member, repeated: true)
        if (kind == .commit || kind == .decline) && member == nil {
            throw RecordError("\"member\" is required for \(kind.rawValue)")
        }
        return .action(ActionRecord(
            action: kind, incident: incident, by: try string(f, .by, repeated: true), member: member,
            note: try string(f, .note)))
    }

    static func narrate(_ f: CapturedFields) throws(RecordError) -> RecordBody {
        .narrate(try string(f, .text, required: true)!)
    }
}

private func wrap(
    _ decode: (CapturedFields) throws(RecordError) -> RecordBody, _ f: CapturedFields
) -> Result<RecordBody, RecordError> {
    do { return .success(try decode(f)) } catch { return .failure(error) }
}

/// An enum read from a JSON string by comparing bytes with its case names,
/// kept once per type (`allCases` would build an array on every call, and
/// `init(rawValue:)` compares strings one case after another). Names are
/// packed into two words with their length, so a match compares integers
/// (an array of names would be retained and released on every look).
protocol NamedCases: CaseIterable, RawRepresentable where RawValue == String {
    static var byName: [(name: PackedName, value: Self)] { get }
}

/// Up to 16 bytes of a name and its length, as integers.
struct PackedName: Equatable, Sendable {
    var count: Int
    var low: UInt64 = 0, high: UInt64 = 0

    /// Nil for more than 16 bytes (no case name is that long).
    @inline(__always)
    init?(_ b: UnsafeBufferPointer<UInt8>) {
        guard b.count <= 16 else { return nil }
        count = b.count
        guard let p = b.baseAddress else { return }
        var w: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &w) { ByteWord.copyShort(p, b.count, to: $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        low = UInt64(littleEndian: w.0)
        high = UInt64(littleEndian: w.1)
    }
}

extension NamedCases {
    static func table() -> [(name: PackedName, value: Self)] {
        allCases.map { c in
            var name = Array(c.rawValue.utf8)
            precondition(name.count <= 16, "a case name longer than PackedName holds")
            return (name.withUnsafeMutableBufferPointer { PackedName(UnsafeBufferPointer($0))! }, c)
        }
    }

    /// The case whose name is exactly the field's text, compared as bytes.
    @inline(__always)
    static func match(_ f: CapturedFields, _ field: Field) -> Self? {
        guard let b = f.plainBytes(field) else { return Self(rawValue: f.string(field)) }
        guard let packed = PackedName(b) else { return nil }
        for (name, value) in byName where name == packed { return value }
        return nil
    }
}

extension RecordDecoder.RecordType: NamedCases { static let byName = table() }
extension ReportStatus: NamedCases { static let byName = table() }
extension Scale: NamedCases { static let byName = table() }
extension ActionKind: NamedCases { static let byName = table() }

/// True when a string is empty or white space only.
func isBlank(_ s: String) -> Bool {
    for u in s.utf8 {
        if u == 0x20 || u == 0x09 || u == 0x0A || u == 0x0D { continue }
        if u < 0x80 { return false }
        return !s.contains { !$0.isWhitespace }  // as `trimmed(s).isEmpty`, stopping at the first visible character
    }
    return true
}

/// Trims Unicode white space at both ends.
public func trimmed(_ s: String) -> String {
    // Fast path: ASCII non-space at both ends.
    if let f = s.utf8.first, let l = s.utf8.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 { return s }
    guard let first = s.firstIndex(where: { !$0.isWhitespace }) else { return "" }
    let last = s.lastIndex(where: { !$0.isWhitespace })!
    if first == s.startIndex && last == s.index(before: s.endIndex) { return s }
    return String(s[first...last])
}
