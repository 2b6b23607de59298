/// Reading and writing RFC 3339 timestamps without Foundation's date
/// machinery: the reader runs once per record, so it works on raw bytes.
public enum RFC3339 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. Fractional seconds
    /// are accepted and truncated to whole seconds (spec §3). Leap seconds
    /// (`:60`) are refused rather than guessed at.
    public static func parse(_ text: String) -> Result<Instant, TimeError> {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<Instant, TimeError> {
        if let t = parseUTC(b) { return .success(t) }
        let bad = TimeError("not an RFC 3339 time (expected like 2026-02-10T04:12:00Z)")
        let n = b.count
        guard n >= 20 else { return .failure(bad) }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45,
              let day = digits(8, 2), b[10] == 84 || b[10] == 116,
              let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58,
              let second = digits(17, 2)
        else { return .failure(bad) }
        guard (1...12).contains(month) else { return .failure(TimeError("month \(month) is out of range")) }
        guard day >= 1 && day <= daysIn(month: month, year: year) else {
            return .failure(TimeError("day \(day) does not exist in \(year)-\(pad2(month))"))
        }
        guard hour <= 23 else { return .failure(TimeError("hour \(hour) is out of range")) }
        guard minute <= 59 else { return .failure(TimeError("minute \(minute) is out of range")) }
        guard second <= 59 else {
            return .failure(TimeError(second == 60 ? "leap seconds are not supported" : "second \(second) is out of range"))
        }
        var i = 19
        if b[i] == 46 {  // '.'
            i += 1
            let fracStart = i
            while i < n, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > fracStart else { return .failure(bad) }
        }
        guard i < n else { return .failure(bad) }
        var offset = 0
        switch b[i] {
        case 90, 122:  // Z z
            i += 1
        case 43, 45:  // + -
            guard n - i == 6, let oh = digits(i + 1, 2), b[i + 3] == 58, let om = digits(i + 4, 2) else {
                return .failure(bad)
            }
            guard oh <= 23, om <= 59 else { return .failure(TimeError("UTC offset is out of range")) }
            offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
            i += 6
        default:
            return .failure(bad)
        }
        guard i == n else { return .failure(bad) }
        let days = daysFromCivil(year: year, month: month, day: day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return .success(Instant(seconds: secs))
    }

    /// The common shape, `YYYY-MM-DDTHH:MM:SSZ` and valid, read without the
    /// general parser's checks one field at a time; nil for anything else
    /// (which the general parser reads, or explains).
    @inline(__always)
    static func parseUTC(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard b.count == 20, b[19] == 90, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58 else { return nil }
        @inline(__always) func d(_ k: Int) -> Int { Int(b[k] &- 48) }  // a non-digit wraps above 9
        guard d(0) <= 9, d(1) <= 9, d(2) <= 9, d(3) <= 9, d(5) <= 9, d(6) <= 9, d(8) <= 9, d(9) <= 9,
              d(11) <= 9, d(12) <= 9, d(14) <= 9, d(15) <= 9, d(17) <= 9, d(18) <= 9 else { return nil }
        let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)
        let month = d(5) * 10 + d(6), day = d(8) * 10 + d(9)
        let hour = d(11) * 10 + d(12), minute = d(14) * 10 + d(15), second = d(17) * 10 + d(18)
        guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Instant(seconds: Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }

    /// `2026-02-10T04:12:00Z`.
    public static func format(_ t: Instant) -> String {
        var out = [UInt8]()
        out.reserveCapacity(20)
        append(t, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `2026-02-10T04:12:00Z` to a byte buffer (used by the JSON writer).
    public static func append(_ t: Instant, to out: inout [UInt8], separator: UInt8 = 84) {
        let (y, m, d, hh, mm, ss) = civil(t)
        func put4(_ v: Int) {
            var v = v
            if v < 0 { out.append(45); v = -v }
            if v > 9999 { out.append(contentsOf: Array(String(v).utf8)); return }
            out.append(UInt8(48 + v / 1000)); out.append(UInt8(48 + v / 100 % 10))
            out.append(UInt8(48 + v / 10 % 10)); out.append(UInt8(48 + v % 10))
        }
        func put2(_ v: Int) { out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10)) }
        put4(y); out.append(45); put2(m); out.append(45); put2(d)
        out.append(separator)
        put2(hh); out.append(58); put2(mm); out.append(58); put2(ss)
        out.append(90)
    }

    /// 9999-12-31T23:59:59Z: record times past it are rejected, since RFC 3339
    /// has four digits for the year.
    public static let latest = Instant(seconds: 253_402_300_799)

    /// Writes `2026-02-10T04:12:00Z` at `p` (room for 24 bytes needed) and
    /// returns the number of bytes written. The JSON writer's fast path.
    @inline(__always)
    static func write(_ t: Instant, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let (y, m, d, hh, mm, ss) = civil(t)
        guard y >= 0 && y <= 9999 else {
            var bytes: [UInt8] = []
            append(t, to: &bytes)
            for (i, b) in bytes.enumerated() { p[i] = b }
            return bytes.count
        }
        p[0] = UInt8(48 + y / 1000); p[1] = UInt8(48 + y / 100 % 10); p[2] = UInt8(48 + y / 10 % 10); p[3] = UInt8(48 + y % 10)
        p[4] = 45; p[5] = UInt8(48 + m / 10); p[6] = UInt8(48 + m % 10)
        p[7] = 45; p[8] = UInt8(48 + d / 10); p[9] = UInt8(48 + d % 10)
        writeTime(hh, mm, ss, to: p + 10)
        return 20
    }

    /// Writes `THH:MM:SSZ` (10 bytes) at `p`.
    @inline(__always)
    static func writeTime(_ hh: Int, _ mm: Int, _ ss: Int, to p: UnsafeMutablePointer<UInt8>) {
        p[0] = 84; p[1] = UInt8(48 + hh / 10); p[2] = UInt8(48 + hh % 10)
        p[3] = 58; p[4] = UInt8(48 + mm / 10); p[5] = UInt8(48 + mm % 10)
        p[6] = 58; p[7] = UInt8(48 + ss / 10); p[8] = UInt8(48 + ss % 10)
        p[9] = 90
    }

    /// Calendar fields of an instant in UTC.
    public static func civil(_ t: Instant) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let s = t.seconds
        var days = s / 86_400
        var rem = s % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(Int(days))
        return (y, m, d, Int(rem / 3600), Int(rem % 3600 / 60), Int(rem % 60))
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
