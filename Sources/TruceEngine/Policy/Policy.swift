/// A coalition member on the roster (spec §5).
public struct Member: Sendable, Hashable {
    /// Unique, case-sensitive code (`GB`).
    public var code: String
    public var name: String
    /// The tier whose escalation notifies this member: 1, 2 or 3.
    public var tier: Int
    public var role: String?

    public init(code: String, name: String, tier: Int, role: String? = nil) {
        self.code = code; self.name = name; self.tier = tier; self.role = role
    }
}

/// The escalation clocks and the roster.
public struct Policy: Sendable, Equatable {
    /// Tier-1 deadline after T0 (R3). Default 24 h.
    public var tier1Window: Int64
    /// Tier-3 instant after T0 (R5). Default 72 h.
    public var tier3After: Int64
    /// Interval between reminders for an unacknowledged alert (R9). Default 15 min.
    public var ackReminder: Int64
    public var roster: [Member]
    /// How long before a deadline the console marks its clock due soon.
    /// Display only: no rule depends on it (and snapshots do not record it). Default 1 h.
    public var dueSoon: Int64

    public init(tier1Window: Int64 = 24 * 3600, tier3After: Int64 = 72 * 3600, ackReminder: Int64 = 15 * 60,
                roster: [Member] = Policy.builtInRoster, dueSoon: Int64 = 3600) {
        self.tier1Window = tier1Window; self.tier3After = tier3After
        self.ackReminder = ackReminder; self.roster = roster; self.dueSoon = dueSoon
    }

    /// The built-in defaults of spec §5.
    public static let standard = Policy()

    /// Who the February 2026 public reporting names, with the spec's codes.
    public static let builtInRoster: [Member] = [
        Member(code: "UA", name: "Ukraine", tier: 1, role: "diplomatic warning and national response"),
        Member(code: "GB", name: "United Kingdom", tier: 2, role: "coalition lead"),
        Member(code: "FR", name: "France", tier: 2, role: "coalition lead"),
        Member(code: "EU", name: "EU member states", tier: 2, role: "coalition of the willing"),
        Member(code: "NO", name: "Norway", tier: 2, role: "coalition of the willing"),
        Member(code: "IS", name: "Iceland", tier: 2, role: "coalition of the willing"),
        Member(code: "TR", name: "Turkey", tier: 2, role: "coalition of the willing"),
        Member(code: "US", name: "United States", tier: 3, role: "backstop and ceasefire monitoring"),
    ]

    /// Members notified when an incident reaches `tier`, in roster order.
    public func members(ofTier tier: Int) -> [Member] { roster.filter { $0.tier == tier } }

    public func member(code: String) -> Member? { roster.first { $0.code == code } }

    /// Who responds at each tier, in words.
    public static func tierName(_ tier: Int) -> String {
        switch tier {
        case 1: return "diplomatic warning and Ukrainian response"
        case 2: return "coalition of the willing"
        case 3: return "Western-backed force with US assets"
        default: return "tier \(tier)"
        }
    }
}

/// A policy file problem: file, line and key, as spec §5 asks.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var key: String?
    public var message: String

    public var description: String {
        if let key { return "\(file):\(line): \(key): \(message)" }
        return "\(file):\(line): \(message)"
    }
}
