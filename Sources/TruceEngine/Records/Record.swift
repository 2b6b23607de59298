/// Verification state of a violation report (spec §3, R1, R1a).
public enum ReportStatus: String, Sendable, CaseIterable {
    case reported, confirmed, disputed, retracted

    /// Whether a report in this status counts towards an incident.
    public var counts: Bool { self == .confirmed }
}

/// How large a violation is; `minor` when a report does not say.
public enum Scale: String, Sendable, CaseIterable {
    case minor, major, offensive
}

/// An operator action (spec §3).
public enum ActionKind: String, Sendable, CaseIterable {
    case ack, warning, response, resolve, escalate, commit, decline, note
}

/// The optional first record of a scenario file.
public struct ScenarioHeader: Sendable, Equatable {
    public var title: String?
    public var start: Instant?
    /// Simulated seconds per real second for demos.
    public var speed: Double?

    public init(title: String? = nil, start: Instant? = nil, speed: Double? = nil) {
        self.title = title; self.start = start; self.speed = speed
    }
}

/// A violation report, or an update of one (same `id`).
public struct ReportRecord: Sendable, Equatable {
    // Stored in this order (the strings, then the small fields together) so
    // a decoded line is 16 bytes smaller: every line is copied several times
    // on its way from the decoder to the engine.
    public var id: String
    public var sector: String
    public var kind: String?
    public var source: String?
    public var note: String?
    public var observed: TimeSpec?
    public var status: ReportStatus
    public var scale: Scale?

    public init(id: String, sector: String, status: ReportStatus, observed: TimeSpec? = nil,
                kind: String? = nil, scale: Scale? = nil, source: String? = nil, note: String? = nil) {
        self.id = id; self.sector = sector; self.status = status; self.observed = observed
        self.kind = kind; self.scale = scale; self.source = source; self.note = note
    }
}

/// An operator action on an incident.
public struct ActionRecord: Sendable, Equatable {
    public var action: ActionKind
    public var incident: String
    public var by: String?
    public var member: String?
    public var note: String?

    public init(action: ActionKind, incident: String, by: String? = nil, member: String? = nil, note: String? = nil) {
        self.action = action; self.incident = incident; self.by = by; self.member = member; self.note = note
    }
}

/// What a record asks the engine to do.
public enum RecordBody: Sendable, Equatable {
    case scenario(ScenarioHeader)
    case report(ReportRecord)
    case action(ActionRecord)
    case narrate(String)
}

/// The `at` field of a record as read, before it is checked against the clock.
public enum AtField: Sendable, Equatable {
    case absent
    case spec(TimeSpec)
    /// Present but unreadable; the reason says why.
    case invalid(String)
}

/// One input line after decoding, before the engine judges it.
public enum DecodedLine: Sendable, Equatable {
    /// Blank or comment line: ignored.
    case skip
    /// Not a JSON object at all (or not UTF-8); rejected with this reason, no `at`.
    case malformed(String)
    /// A JSON object: its `at`, and either a typed record or why it is rejected.
    case record(at: AtField, body: Result<RecordBody, RecordError>)
}

/// Why a record is rejected; the message is meant for people.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
