import TruceEngine

/// The clock an incident is running against, as the incidents pane shows it.
public enum Countdown: Equatable, Sendable {
    /// Tier-1 deadline while the step is pending: seconds left.
    case tier1Due(Int64)
    /// Tier-1 deadline passed with no warning while still at tier 1: seconds since.
    case overdue(Int64)
    /// Armed at tier 2: seconds to the tier-3 instant.
    case tier3In(Int64)
    /// Step complete, not armed: seconds to the tier-3 instant.
    case tier3Eligible(Int64)
    /// Past the tier-3 instant, not armed: the next arming report escalates at once.
    case tier3Now
    /// Nothing left to count: tier 3 reached, or closed.
    case none(String)

    public static func of(_ inc: Incident, at now: Instant) -> Countdown {
        switch inc.status {
        case .resolved: return .none("resolved")
        case .withdrawn: return .none("withdrawn")
        case .open: break
        }
        if inc.tier >= 3 { return .none("tier 3") }
        if inc.step == .pending { return .tier1Due(max(0, inc.tier1Deadline - now)) }
        if inc.tier == 1 && inc.step == .overdue { return .overdue(max(0, now - inc.tier1Deadline)) }
        let left = inc.tier3At - now
        if inc.armed { return .tier3In(max(0, left)) }
        return left > 0 ? .tier3Eligible(left) : .tier3Now
    }

    /// A deadline that comes within `window` seconds: the tier-1 step still
    /// due, or tier 3 on its way (armed).
    public func isDue(within window: Int64) -> Bool {
        switch self {
        case .tier1Due(let s), .tier3In(let s): return s <= window
        default: return false
        }
    }

    /// `T1 due 05:12:33`, `OVERDUE +01:02:03`, `T3 in 1d 23:00:00`, …
    public var text: String {
        switch self {
        case .tier1Due(let s): return "T1 due " + Countdown.format(s)
        case .overdue(let s): return "OVERDUE +" + Countdown.format(s)
        case .tier3In(let s): return "T3 in " + Countdown.format(s)
        case .tier3Eligible(let s): return "T3 eligible " + Countdown.format(s)
        case .tier3Now: return "T3 on next report"
        case .none(let why): return why
        }
    }

    /// `text`, shorter where a narrow pane needs it (`T3 elig 2d 13:05:00`):
    /// never cut.
    public var shortText: String {
        if case .tier3Eligible(let s) = self { return "T3 elig " + Countdown.format(s) }
        return text
    }

    /// `HH:MM:SS` under 24 h, `Nd HH:MM:SS` from 24 h on.
    public static func format(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        let d = s / 86_400, h = s % 86_400 / 3600, m = s % 3600 / 60, sec = s % 60
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let hms = "\(two(h)):\(two(m)):\(two(sec))"
        return d > 0 ? "\(d)d \(hms)" : hms
    }
}
