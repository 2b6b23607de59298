/// Durations as written in records and policy files: one or more of `<n>d`,
/// `<n>h`, `<n>m`, `<n>s` in that order (`90s`, `15m`, `24h`, `1d2h30m`).
public enum DurationText {
    public static func parse(_ text: String) -> Result<Int64, TimeError> {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<Int64, TimeError> {
        let bad = TimeError("not a duration (expected like 90s, 15m, 24h or 1d2h30m)")
        guard !b.isEmpty else { return .failure(bad) }
        var total: Int64 = 0
        var lastUnit = -1  // index into "dhms" of the previous part, to enforce order
        var i = 0
        while i < b.count {
            var value: Int64 = 0
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b[i] - 48))
                guard !o1, !o2 else { return .failure(TimeError("too long a duration (the limit is 100,000 years)")) }
                value = a
                i += 1
            }
            guard i > start, i < b.count else { return .failure(bad) }
            let unit: Int
            let scale: Int64
            switch b[i] {
            case 100: unit = 0; scale = 86_400  // d
            case 104: unit = 1; scale = 3_600  // h
            case 109: unit = 2; scale = 60  // m
            case 115: unit = 3; scale = 1  // s
            default: return .failure(bad)
            }
            guard unit > lastUnit else {
                return .failure(TimeError("duration parts must be in the order d, h, m, s, each at most once"))
            }
            lastUnit = unit
            let (m, o1) = value.multipliedReportingOverflow(by: scale)
            let (a, o2) = total.addingReportingOverflow(m)
            guard !o1, !o2, a < 100_000 * 366 * 86_400 else { return .failure(TimeError("too long a duration (the limit is 100,000 years)")) }
            total = a
            i += 1
        }
        return .success(total)
    }

    /// A compact duration for people: `1d2h30m`, `15m`, `0s`.
    public static func format(_ seconds: Int64) -> String {
        if seconds == 0 { return "0s" }
        var s = seconds < 0 ? -seconds : seconds
        var out = seconds < 0 ? "-" : ""
        let d = s / 86_400; s %= 86_400
        let h = s / 3_600; s %= 3_600
        let m = s / 60; s %= 60
        if d > 0 { out += "\(d)d" }
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 { out += "\(s)s" }
        return out
    }

    /// An offset from the scenario start as the timeline shows it: `+10h00m`,
    /// `+72h00m`, with seconds only when there are some (`+0h00m30s`).
    public static func offset(_ seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let s = seconds < 0 ? -seconds : seconds
        let h = s / 3600, m = s % 3600 / 60, sec = s % 60
        var out = "\(sign)\(h)h\(m < 10 ? "0" : "")\(m)m"
        if sec != 0 { out += "\(sec < 10 ? "0" : "")\(sec)s" }
        return out
    }
}
