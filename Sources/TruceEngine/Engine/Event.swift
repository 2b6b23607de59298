/// The engine's event vocabulary (spec §4).
public enum EventKind: String, Sendable, CaseIterable {
    case incidentOpened = "incident.opened"
    case reportPending = "report.pending"
    case reportJoined = "report.joined"
    case reportRetracted = "report.retracted"
    case tier1Overdue = "tier1.overdue"
    case tierEscalated = "tier.escalated"
    case rosterNotified = "roster.notified"
    case incidentAcknowledged = "incident.acknowledged"
    case alertReminder = "alert.reminder"
    case actionRecorded = "action.recorded"
    case incidentResolved = "incident.resolved"
    case incidentWithdrawn = "incident.withdrawn"
    case narration = "narration"
    case inputRejected = "input.rejected"

    /// `rawValue` as a literal, for the JSON writer (no escaping to look for;
    /// a test holds each to its raw value).
    var jsonName: StaticString {
        switch self {
        case .incidentOpened: "incident.opened"
        case .reportPending: "report.pending"
        case .reportJoined: "report.joined"
        case .reportRetracted: "report.retracted"
        case .tier1Overdue: "tier1.overdue"
        case .tierEscalated: "tier.escalated"
        case .rosterNotified: "roster.notified"
        case .incidentAcknowledged: "incident.acknowledged"
        case .alertReminder: "alert.reminder"
        case .actionRecorded: "action.recorded"
        case .incidentResolved: "incident.resolved"
        case .incidentWithdrawn: "incident.withdrawn"
        case .narration: "narration"
        case .inputRejected: "input.rejected"
        }
    }
}

/// Where a record came from: the site that wrote it, and when it was made
/// there if that is not its receipt time (a record queued while the shared
/// journal was unreachable). Data the caller hands in with a record; the
/// engine only copies it onto the events that record causes.
public struct RecordOrigin: Sendable, Equatable {
    public var site: String
    public var madeAt: Instant?
    public init(site: String, madeAt: Instant? = nil) { self.site = site; self.madeAt = madeAt }
}

/// One entry of the timeline. Fields are set where they apply.
public struct Event: Sendable, Equatable {
    /// When it happened; nil only for a rejected record read while no time
    /// was ever known (spec §3).
    public var at: Instant?
    public var kind: EventKind
    public var incident: String?
    public var tier: Int?
    public var sector: String?
    public var report: String?
    public var member: String?
    public var action: ActionKind?
    public var by: String?
    /// True for a manual escalation (R6).
    public var manual: Bool = false
    /// The report's new status, on `report.retracted`.
    public var status: ReportStatus?
    /// An operator's note, or a narration caption.
    public var text: String?
    /// Input line, on `input.rejected`.
    public var line: Int?
    public var reason: String?
    /// Where the record that caused it came from, when the caller said
    /// (records of a shared journal); nil for timer events and otherwise.
    public var origin: RecordOrigin?

    public init(at: Instant?, kind: EventKind) {
        self.at = at
        self.kind = kind
    }
}
