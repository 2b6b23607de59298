import TruceEngine

#if canImport(Glibc)
import Glibc
#endif

/// How the board writes times: UTC (`Z`) by default; local time with its UTC
/// offset when the operator toggles it (`L`). Conversion only, no clock read.
struct TimeText {
    let local: Bool

    /// Seconds east of UTC for the local zone at `t` (0 in UTC mode).
    func offset(_ t: Instant) -> Int64 {
        guard local else { return 0 }
        var secs = time_t(t.seconds)
        var tm = tm()
        guard localtime_r(&secs, &tm) != nil else { return 0 }
        return Int64(tm.tm_gmtoff)
    }

    func zone(_ off: Int64) -> String {
        guard local else { return "Z" }
        let sign = off < 0 ? "-" : "+"
        let a = abs(off)
        return sign + two(a / 3600) + ":" + two(a % 3600 / 60)
    }

    /// `2026-02-10 04:12:00Z`, or `2026-02-10 06:12:00+02:00` in local time.
    func dateTime(_ t: Instant) -> String {
        let off = offset(t)
        var b: [UInt8] = []
        RFC3339.append(t + off, to: &b, separator: 0x20)
        return String(decoding: b.dropLast(), as: UTF8.self) + zone(off)
    }

    /// `02-11 10:00:00`: month-day and time of day, for the ticker and detail.
    func dayTime(_ t: Instant?) -> String {
        guard let t else { return "--:-- --:--:--" }
        let (_, mo, d, h, m, sec) = RFC3339.civil(t + offset(t))
        return "\(two(mo))-\(two(d)) \(two(h)):\(two(m)):\(two(sec))"
    }

    private func two<I: BinaryInteger>(_ v: I) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
