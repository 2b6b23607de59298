/// Reads a policy file (spec §5): the small subset of TOML it needs — bare
/// keys, strings, integers, booleans, comments and `[[member]]` tables.
/// Anything else is refused with the file, line and key, never skipped.
public enum PolicyFile {
    /// The longest clock a policy may set: 366 days.
    public static let longestClock: Int64 = 366 * 86_400

    public static func parse(_ text: String, file: String) -> Result<Policy, PolicyError> {
        do { return .success(try parseThrowing(text, file: file)) } catch { return .failure(error) }
    }

    enum Value {
        case string(String), integer(Int64), bool(Bool)
        var typeName: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .bool: return "a boolean"
            }
        }
    }

    struct MemberDraft {
        var line: Int
        var code: (String, Int)?
        var name: String?
        var tier: Int?
        var role: String?
        var seen: Set<String> = []
    }

    static func parseThrowing(_ text: String, file: String) throws(PolicyError) -> Policy {
        var policy = Policy.standard
        var topSeen: Set<String> = []
        var members: [MemberDraft] = []
        var sawMemberTable = false
        var clockLines: [String: Int] = [:]
        var lineNo = 0
        for rawLine in TextLines.split(text) {
            lineNo += 1
            func fail(_ key: String?, _ message: String) -> PolicyError {
                PolicyError(file: file, line: lineNo, key: key, message: message)
            }
            var scanner = LineScanner(Array(rawLine.utf8))
            scanner.skipSpace()
            if scanner.atEndOrComment { continue }
            if scanner.peek == UInt8(ascii: "[") {
                let header = scanner.rest.trimmingComment()
                if header == "[[member]]" {
                    members.append(MemberDraft(line: lineNo))
                    sawMemberTable = true
                    continue
                }
                throw fail(nil, "unknown table \(header) (only [[member]] is allowed)")
            }
            guard let key = scanner.bareKey() else {
                throw fail(nil, "expected a key (letters, digits, _ or -) followed by =")
            }
            if key.contains(".") { throw fail(key, "dotted keys are not supported") }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: "=")) else { throw fail(key, "expected = after the key") }
            scanner.skipSpace()
            let value: Value
            switch scanner.value() {
            case .success(let v): value = v
            case .failure(let m): throw fail(key, m.message)
            }
            scanner.skipSpace()
            guard scanner.atEndOrComment else { throw fail(key, "unexpected text after the value") }

            if members.isEmpty {
                guard topSeen.insert(key).inserted else { throw fail(key, "duplicate key") }
                let duration: (String) throws(PolicyError) -> Int64 = { (k: String) throws(PolicyError) -> Int64 in
                    guard case .string(let s) = value else {
                        throw fail(k, "must be a duration string like \"24h\", not \(value.typeName)")
                    }
                    switch DurationText.parse(s) {
                    case .success(let d):
                        guard d > 0 else { throw fail(k, "must be a positive duration") }
                        // Escalation clocks are hours and days; a bound keeps every deadline a writable time.
                        guard d <= PolicyFile.longestClock else { throw fail(k, "must be at most 366d") }
                        return d
                    case .failure(let e): throw fail(k, e.message)
                    }
                }
                switch key {
                case "tier1_window": policy.tier1Window = try duration(key); clockLines[key] = lineNo
                case "tier3_after": policy.tier3After = try duration(key); clockLines[key] = lineNo
                case "ack_reminder": policy.ackReminder = try duration(key)
                case "due_soon": policy.dueSoon = try duration(key)
                default:
                    throw fail(key, "unknown key (expected tier1_window, tier3_after, ack_reminder, due_soon or [[member]] tables)")
                }
            } else {
                var m = members.removeLast()
                guard m.seen.insert(key).inserted else { throw fail(key, "duplicate key") }
                func text(_ k: String) throws(PolicyError) -> String {
                    guard case .string(let s) = value else { throw fail(k, "must be a string, not \(value.typeName)") }
                    guard !trimmed(s).isEmpty else { throw fail(k, "must not be empty") }
                    return s
                }
                switch key {
                case "code": m.code = (try text(key), lineNo)
                case "name": m.name = try text(key)
                case "role": m.role = try text(key)
                case "tier":
                    guard case .integer(let t) = value else { throw fail(key, "must be 1, 2 or 3, not \(value.typeName)") }
                    guard (1...3).contains(t) else { throw fail(key, "must be 1, 2 or 3") }
                    m.tier = Int(t)
                default:
                    throw fail(key, "unknown key in [[member]] (expected code, name, tier, role)")
                }
                members.append(m)
            }
        }
        // The tier-1 step must end before tier 3 can come (R3, R5).
        if policy.tier1Window >= policy.tier3After {
            let key = (clockLines["tier1_window"] ?? 0) >= (clockLines["tier3_after"] ?? 0) ? "tier1_window" : "tier3_after"
            throw PolicyError(file: file, line: clockLines[key] ?? 0, key: key, message:
                "tier1_window (\(DurationText.format(policy.tier1Window))) must be shorter than tier3_after "
                + "(\(DurationText.format(policy.tier3After))): the tier-1 step has to end before tier 3 can come")
        }
        if sawMemberTable {
            var roster: [Member] = []
            var codes: [String: Int] = [:]
            for m in members {
                for required in ["code", "name", "tier"] where !m.seen.contains(required) {
                    throw PolicyError(file: file, line: m.line, key: required, message: "is required in every [[member]]")
                }
                let (code, codeLine) = m.code!
                if let first = codes[code] {
                    throw PolicyError(file: file, line: codeLine, key: "code",
                                      message: "duplicate code \"\(code)\" (first on line \(first))")
                }
                codes[code] = codeLine
                roster.append(Member(code: code, name: m.name!, tier: m.tier!, role: m.role))
            }
            policy.roster = roster
        }
        return policy
    }

    struct Problem: Error, ExpressibleByStringLiteral {
        var message: String
        init(_ m: String) { message = m }
        init(stringLiteral m: String) { message = m }
    }

    /// A cursor over one line of the file.
    struct LineScanner {
        let b: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) {
            var bytes = bytes
            if bytes.last == 0x0D { bytes.removeLast() }
            b = bytes
        }
        var peek: UInt8? { i < b.count ? b[i] : nil }
        var atEndOrComment: Bool { i == b.count || b[i] == UInt8(ascii: "#") }
        var rest: String { String(decoding: b[i...], as: UTF8.self) }
        mutating func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 } }
        mutating func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        mutating func bareKey() -> String? {
            let start = i
            while i < b.count {
                let c = b[i]
                let ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45 || c == 46
                if !ok { break }
                i += 1
            }
            return i > start ? String(decoding: b[start..<i], as: UTF8.self) : nil
        }

        mutating func value() -> Result<Value, Problem> {
            guard let c = peek else { return .failure("missing value") }
            switch c {
            case UInt8(ascii: "\""):
                if b.count - i >= 3, b[i + 1] == c, b[i + 2] == c { return .failure("multi-line strings are not supported") }
                i += 1
                var out = [UInt8]()
                while i < b.count {
                    let ch = b[i]
                    if ch == UInt8(ascii: "\"") { i += 1; return .success(.string(String(decoding: out, as: UTF8.self))) }
                    if ch == UInt8(ascii: "\\") {
                        i += 1
                        guard i < b.count else { break }
                        switch b[i] {
                        case UInt8(ascii: "\""): out.append(0x22)
                        case UInt8(ascii: "\\"): out.append(0x5C)
                        case UInt8(ascii: "n"): out.append(0x0A)
                        case UInt8(ascii: "t"): out.append(0x09)
                        case UInt8(ascii: "u"):
                            guard b.count - i >= 5,
                                  let v = UInt32(String(decoding: b[(i + 1)...(i + 4)], as: UTF8.self), radix: 16),
                                  let u = Unicode.Scalar(v)
                            else { return .failure("bad \\u escape in string") }
                            out.append(contentsOf: UTF8.encode(u)!)
                            i += 4
                        default: return .failure("unsupported escape in string")
                        }
                        i += 1
                        continue
                    }
                    if ch < 0x20 && ch != 0x09 { return .failure("control character in string") }
                    out.append(ch)
                    i += 1
                }
                return .failure("unterminated string")
            case UInt8(ascii: "'"):
                i += 1
                let start = i
                while i < b.count, b[i] != c { i += 1 }
                guard i < b.count else { return .failure("unterminated string") }
                defer { i += 1 }
                return .success(.string(String(decoding: b[start..<i], as: UTF8.self)))
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                let word = bareKey() ?? ""
                if word == "true" { return .success(.bool(true)) }
                if word == "false" { return .success(.bool(false)) }
                return .failure(Problem("unsupported value \(word)"))
            default:
                let start = i
                if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { i += 1 }
                while i < b.count, (b[i] >= 48 && b[i] <= 57) || b[i] == 95 { i += 1 }
                let digits = String(decoding: b[start..<i], as: UTF8.self).replacingUnderscores()
                if i < b.count, b[i] != 0x20, b[i] != 0x09, b[i] != UInt8(ascii: "#") {
                    return .failure("unsupported value (strings, integers and booleans only)")
                }
                guard let v = Int64(digits) else { return .failure("unsupported value (strings, integers and booleans only)") }
                return .success(.integer(v))
            }
        }
    }
}

extension String {
    fileprivate func trimmingComment() -> String {
        var s = self
        if let hash = s.firstIndex(of: "#") { s = String(s[..<hash]) }
        return trimmed(s)
    }
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
