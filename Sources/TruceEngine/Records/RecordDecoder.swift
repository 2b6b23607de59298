/// Turns one line of JSON Lines input into a typed record, or into the
/// precise reason it is rejected. Pure: no clock and no engine state; rules
/// that depend on state (unknown incident, status changes, …) are the
/// engine's to judge.
public enum RecordDecoder {
    /// Decodes a line given as bytes (without its line terminator).
    public static func decode(_ line: UnsafeBufferPointer<UInt8>) -> DecodedLine {
        // Blank lines and comments (first non-blank character '#') are ignored.
        var k = 0
        while k < line.count, line[k] == 0x20 || line[k] == 0x09 || line[k] == 0x0D { k += 1 }
        if k == line.count || line[k] == UInt8(ascii: "#") { return .skip }

        if let bad = firstInvalidUTF8(line) {
            return .malformed("not valid UTF-8 (byte \(bad + 1))")
        }
        let fields: CapturedFields
        do {
            guard let f = try JSONScanner.scanObject(line) else {
                return .malformed("a record must be a JSON object")
            }
            fields = f
        } catch {
            return .malformed(error.description)
        }
        return decode(fields)
    }

    /// Decodes a line given as a string (tests and small inputs).
    public static func decode(_ line: String) -> DecodedLine {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBufferPointer { decode(UnsafeBufferPointer($0)) }
    }

    static func decode(_ f: CapturedFields) -> DecodedLine {
        // The type decides whether `at` applies (a scenario header has none).
        let typeName: String
        switch f[.type] {
        case nil: return .record(at: readAt(f), body: .failure(RecordError("\"type\" is required")))
        case .string(let s)?: typeName = s
        case let v?: return .record(at: readAt(f), body: .failure(RecordError("\"type\" must be a string, not \(v.typeName)")))
        }
        switch typeName {
        case "scenario":
            return .record(at: .absent, body: wrap(scenario, f))
        case "report":
            return .record(at: readAt(f), body: wrap(report, f))
        case "action":
            return .record(at: readAt(f), body: wrap(action, f))
        case "narrate":
            return .record(at: readAt(f), body: wrap(narrate, f))
        default:
            return .record(at: readAt(f), body: .failure(RecordError(
                "unknown type \"\(typeName)\" (expected scenario, report, action or narrate)")))
        }
    }

    static func readAt(_ f: CapturedFields) -> AtField {
        switch f[.at] {
        case nil: return .absent
        case .string(let s)?:
            switch TimeSpec.parse(s) {
            case .success(let t): return .spec(t)
            case .failure(let e): return .invalid("\"at\" is \(e.message)")
            }
        case let v?: return .invalid("\"at\" must be a string, not \(v.typeName)")
        }
    }

    // MARK: - Field helpers

    static func string(_ f: CapturedFields, _ field: Field, required: Bool = false) throws(RecordError) -> String? {
        switch f[field] {
        case nil:
            if required { throw RecordError("\"\(field.name)\" is required") }
            return nil
        case .string(let s)?: return s
        case let v?: throw RecordError("\"\(field.name)\" must be a string, not \(v.typeName)")
        }
    }

    static func nonEmpty(_ f: CapturedFields, _ field: Field) throws(RecordError) -> String {
        let s = try string(f, field, required: true)!
        if trimmed(s).isEmpty { throw RecordError("\"\(field.name)\" must not be empty") }
        return s
    }

    static func oneOf<E: RawRepresentable & CaseIterable>(
        _ f: CapturedFields, _ field: Field, _: E.Type, required: Bool = false
    ) throws(RecordError) -> E? where E.RawValue == String {
        guard let s = try string(f, field, required: required) else { return nil }
        if let v = E(rawValue: s) { return v }
        let names = E.allCases.map(\.rawValue)
        throw RecordError("\"\(field.name)\" must be one of \(names.joined(separator: ", "))")
    }

    static func time(_ f: CapturedFields, _ field: Field) throws(RecordError) -> TimeSpec? {
        guard let s = try string(f, field) else { return nil }
        switch TimeSpec.parse(s) {
        case .success(let t): return t
        case .failure(let e): throw RecordError("\"\(field.name)\" is \(e.message)")
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
        switch f[.speed] {
        case nil: break
        case .number(let v)?:
            guard v > 0, v.isFinite else { throw RecordError("\"speed\" must be greater than 0") }
            h.speed = v
        case let v?: throw RecordError("\"speed\" must be a number, not \(v.typeName)")
        }
        return .scenario(h)
    }

    static func report(_ f: CapturedFields) throws(RecordError) -> RecordBody {
        let id = try nonEmpty(f, .id)
        let sector = try nonEmpty(f, .sector)
        let status = try oneOf(f, .status, ReportStatus.self, required: true)!
        return .report(ReportRecord(
            id: id, sector: sector, status: status,
            observed: try time(f, .observed),
            kind: try string(f, .kind),
            scale: try oneOf(f, .scale, Scale.self),
            source: try string(f, .source),
            note: try string(f, .note)))
    }

    static func action(_ f: CapturedFields) throws(RecordError) -> RecordBody {
        let kind = try oneOf(f, .action, ActionKind.self, required: true)!
        let incident = try string(f, .incident, required: true)!
        let member = try string(f, .member)
        if (kind == .commit || kind == .decline) && member == nil {
            throw RecordError("\"member\" is required for \(kind.rawValue)")
        }
        return .action(ActionRecord(
            action: kind, incident: incident, by: try string(f, .by), member: member, note: try string(f, .note)))
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

/// Trims Unicode white space at both ends.
public func trimmed(_ s: String) -> String {
    guard let first = s.firstIndex(where: { !$0.isWhitespace }) else { return "" }
    let last = s.lastIndex(where: { !$0.isWhitespace })!
    if first == s.startIndex && last == s.index(before: s.endIndex) { return s }
    return String(s[first...last])
}
