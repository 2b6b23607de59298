import TruceEngine

/// Scenario start used by the rule tests: offsets in expectations are from here.
let testStart = "2026-02-10T00:00:00Z"

/// A report record line.
func report(_ id: String, _ sector: String = "Pokrovsk", status: String = "confirmed",
            at: String? = nil, observed: String? = nil, extra: String = "") -> String {
    var s = #"{"type":"report","id":"\#(id)","sector":"\#(sector)","status":"\#(status)""#
    if let at { s += #","at":"\#(at)""# }
    if let observed { s += #","observed":"\#(observed)""# }
    return s + extra + "}"
}

/// An action record line.
func action(_ kind: String, _ incident: String = "INC-0001", at: String? = nil,
            member: String? = nil, by: String? = nil) -> String {
    var s = #"{"type":"action","action":"\#(kind)","incident":"\#(incident)""#
    if let at { s += #","at":"\#(at)""# }
    if let member { s += #","member":"\#(member)""# }
    if let by { s += #","by":"\#(by)""# }
    return s + "}"
}

/// Runs lines (after a scenario header starting at `testStart`, unless
/// `header` is false) through a fresh engine, as `truce replay` does, and
/// returns the events. Timers run to `until` (relative to the start) or, by
/// default, to tier3_after past the last accepted record.
func runEngine(_ lines: [String], policy: Policy = .standard, until: String? = nil, header: Bool = true) -> (Engine, [Event]) {
    var engine = Engine(policy: policy)
    var events: [Event] = []
    let all = header ? [#"{"type":"scenario","title":"test","start":"\#(testStart)"}"#] + lines : lines
    for (i, l) in all.enumerated() {
        engine.process(line: l, number: i + 1)
        events += engine.takeEvents()
    }
    let start = try! RFC3339.parse(testStart).get()
    let end: Instant? = until.map { u in
        if case .success(let t) = TimeSpec.parse(u) { return t.resolve(start: start)! }
        fatalError("bad until \(u)")
    } ?? engine.lastAcceptedAt.map { $0 + policy.tier3After }
    if let end { engine.advance(through: end) }
    engine.finish()
    events += engine.takeEvents()
    return (engine, events)
}

/// Compact text for an event: `+24h00m tier1.overdue INC-0001 t1`.
func describe(_ e: Event) -> String {
    let start = try! RFC3339.parse(testStart).get()
    var s = e.at.map { DurationText.offset($0 - start) } ?? "null"
    s += " " + e.kind.rawValue
    if let i = e.incident { s += " " + i }
    if let t = e.tier { s += " t\(t)" }
    if let r = e.report { s += " " + r }
    if let m = e.member { s += " " + m }
    if let a = e.action { s += " " + a.rawValue }
    if let st = e.status { s += " " + st.rawValue }
    if e.manual { s += " manual" }
    if let l = e.line { s += " line \(l)" }
    if let r = e.reason { s += ": " + r }
    return s
}

/// The timeline as compact lines, leaving out the kinds named.
func timeline(_ lines: [String], policy: Policy = .standard, until: String? = nil,
              ignoring: Set<EventKind> = [.alertReminder, .rosterNotified]) -> [String] {
    runEngine(lines, policy: policy, until: until).1.filter { !ignoring.contains($0.kind) }.map(describe)
}

/// The state of the first incident after a run.
func incident(_ lines: [String], policy: Policy = .standard, until: String? = nil, id: String = "INC-0001") -> Incident? {
    runEngine(lines, policy: policy, until: until).0.incident(id: id)
}
