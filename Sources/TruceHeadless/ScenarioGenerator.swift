import TruceEngine

/// Writes a valid, realistic synthetic scenario: reports along a contact line
/// (pending, confirmed, disputed, retracted, late confirmations), operator
/// actions (acknowledgements, warnings, responses, roster answers, manual
/// escalations, resolutions) and narration. For load tests, benchmarks and
/// demos. The same parameters always give the same bytes.
///
/// It runs the engine on what it writes and learns incident ids, tiers and
/// closures from the engine's events, so every action names an incident that
/// exists and is open: a generated scenario replays with no rejection.
public struct ScenarioGenerator {
    public let records: Int
    public let sectorCount: Int
    public let seed: UInt64
    public let start = Instant(seconds: 1_772_323_200)  // 2026-03-01T00:00:00Z

    public init(records: Int, sectors: Int, seed: UInt64) {
        self.records = records
        self.sectorCount = max(1, sectors)
        self.seed = seed
    }

    struct Sector {
        let name: String
        var pending: [String] = []
        var disputed: [String] = []
        var counting: [String] = []
        var incident: String?
        var tier = 1
        var acknowledged = true
        var stepPending = true
        var openedAt = Instant(seconds: 0)
        var notified: [String] = []
    }

    static let places = [
        "Kupiansk", "Borova", "Lyman", "Siversk", "Chasiv Yar", "Toretsk", "Pokrovsk", "Myrnohrad", "Kurakhove",
        "Vuhledar", "Velyka Novosilka", "Huliaipole", "Orikhiv", "Robotyne", "Kamianske", "Nikopol", "Kherson",
        "Antonivka", "Vovchansk", "Lyptsi", "Kostiantynivka", "Druzhkivka", "Dobropillia", "Zaliznychne",
        "Покровськ", "Гуляйполе", "Степногірськ", "Бахмут",
    ]
    static let kinds = ["artillery", "drone", "small-arms", "mortar", "armor", "missile", "glide bomb", "sniper"]
    static let sources = ["SMM patrol", "UAV monitoring", "liaison officer", "satellite imagery", "OSINT", "local authority"]
    static let captions = [
        "Monitors log a cluster of reports along the contact line.",
        "Verification teams are stretched: several reports await confirmation.",
        "Coalition capitals are consulted on continued violations.",
        "The tier-3 clock is running on the oldest open incidents.",
        "Shelling eases overnight; reports taper off.",
        "A liaison officer disputes an earlier sighting.",
    ]

    /// Produces the scenario, handing out chunks of bytes as they fill.
    public func generate(_ emit: ([UInt8]) -> Void) {
        var rng = SplitMix64(seed: seed)
        var engine = Engine()
        var sectors: [Sector] = (0..<sectorCount).map { i in
            let base = ScenarioGenerator.places[i % ScenarioGenerator.places.count]
            let round = i / ScenarioGenerator.places.count
            return Sector(name: round == 0 ? base : "\(base) \(round + 1)")
        }
        var bySectorName: [String: Int] = [:]
        for (i, s) in sectors.enumerated() { bySectorName[s.name] = i }
        let activeCount = min(sectorCount, 48)
        var active = Array(0..<activeCount)
        var t = start
        var nextReport = 1
        var w = JSONWriter(capacity: 1 << 17)
        var line = 0

        func feed(_ body: RecordBody, at: Instant?) {
            line += 1
            let atField: AtField = at.map { .spec(.absolute($0)) } ?? .absent
            engine.process(.record(at: atField, body: .success(body)), line: line)
            precondition(engine.rejectedCount == 0, "generator wrote a record the engine rejects: \(engine.events)")
            learn(engine.takeEvents())
        }

        func learn(_ events: [Event]) {
            for e in events {
                guard let sectorName = e.sector, let si = bySectorName[sectorName] else { continue }
                switch e.kind {
                case .incidentOpened:
                    sectors[si].incident = e.incident
                    sectors[si].tier = 1
                    sectors[si].acknowledged = false
                    sectors[si].stepPending = true
                    sectors[si].openedAt = e.at!
                    sectors[si].notified = []
                case .tierEscalated:
                    sectors[si].tier = e.tier ?? sectors[si].tier
                    sectors[si].acknowledged = false
                case .tier1Overdue:
                    sectors[si].acknowledged = false
                    sectors[si].stepPending = false
                case .rosterNotified:
                    if let m = e.member { sectors[si].notified.append(m) }
                case .incidentResolved, .incidentWithdrawn:
                    sectors[si].incident = nil
                    sectors[si].counting = []
                default: break
                }
            }
        }

        func flushIfFull() {
            if w.bytes.count >= 1 << 16 {
                emit(w.bytes)
                w.bytes.removeAll(keepingCapacity: true)
            }
        }

        // Header.
        w.beginObject()
        w.key("type"); w.string("scenario")
        w.key("title"); w.string("Synthetic scenario: \(records) records, \(sectorCount) sectors, seed \(seed)")
        w.key("start"); w.instant(start)
        w.key("speed"); w.int(3600)
        w.endObject(); w.newline()
        feed(.scenario(ScenarioHeader(title: nil, start: start, speed: 3600)), at: nil)

        for _ in 0..<records {
            // Time moves on: mostly seconds to minutes, sometimes a quiet spell.
            let gapRoll = rng.unit()
            let gap: Int64 = gapRoll < 0.05 ? 0 : gapRoll < 0.97 ? Int64(rng.below(90)) : Int64(600 + rng.below(7200))
            t = t + gap
            if sectorCount > activeCount, rng.unit() < 0.01 {
                active[Int(rng.below(UInt64(activeCount)))] = Int(rng.below(UInt64(sectorCount)))
            }
            let si = active[Int(rng.below(UInt64(activeCount)))]
            // Timers due before this record fire first (R11): learn what they did.
            engine.advance(before: t)
            learn(engine.takeEvents())
            let s = sectors[si]

            w.beginObject()
            let body: RecordBody
            if rng.unit() < 0.004 {
                let text = ScenarioGenerator.captions[Int(rng.below(UInt64(ScenarioGenerator.captions.count)))]
                w.key("type"); w.string("narrate")
                w.key("at"); w.instant(t)
                w.key("text"); w.string(text)
                body = .narrate(text)
            } else if let inc = s.incident, rng.unit() < 0.45 {
                // An operator action on the sector's open incident.
                var action = ActionKind.response
                var member: String?
                var note: String?
                let r = rng.unit()
                if !s.acknowledged && r < 0.35 {
                    action = .ack
                } else if s.stepPending && r < 0.5 {
                    action = .warning
                    note = "Démarche delivered; ceasefire terms restated"
                } else if r < 0.7, !s.notified.isEmpty {
                    member = s.notified[Int(rng.below(UInt64(s.notified.count)))]
                    action = rng.unit() < 0.8 ? .commit : .decline
                } else if r < 0.78, s.tier < 3, t - s.openedAt > 6 * 3600, rng.unit() < 0.3 {
                    action = .escalate
                } else if r < 0.9, t - s.openedAt > 4 * 3600 {
                    action = .resolve
                } else if r < 0.95 {
                    action = .note
                    note = "Field report: \(ScenarioGenerator.kinds[Int(rng.below(UInt64(ScenarioGenerator.kinds.count)))]) fire observed"
                }
                let by = ["duty-a", "duty-b", "duty-c"][Int(rng.below(3))]
                w.key("type"); w.string("action")
                w.key("at"); w.instant(t)
                w.key("action"); w.string(action.rawValue)
                w.key("incident"); w.string(inc)
                w.key("by"); w.string(by)
                if let member { w.key("member"); w.string(member) }
                if let note { w.key("note"); w.string(note) }
                body = .action(ActionRecord(action: action, incident: inc, by: by, member: member, note: note))
                if action == .ack { sectors[si].acknowledged = true }
                if action == .warning { sectors[si].stepPending = false }
            } else if !s.pending.isEmpty && rng.unit() < 0.4 || !s.disputed.isEmpty && rng.unit() < 0.05 {
                // A verification update.
                let fromPending = !s.pending.isEmpty && (s.disputed.isEmpty || rng.unit() < 0.9)
                let id: String
                let status: ReportStatus
                let r = rng.unit()
                if fromPending {
                    id = sectors[si].pending.removeFirst()
                    status = r < 0.75 ? .confirmed : r < 0.88 ? .disputed : .retracted
                } else {
                    id = sectors[si].disputed.removeFirst()
                    status = r < 0.6 ? .confirmed : .retracted
                }
                if status == .disputed { sectors[si].disputed.append(id) }
                if status == .confirmed { sectors[si].counting.append(id) }
                w.key("type"); w.string("report")
                w.key("at"); w.instant(t)
                w.key("id"); w.string(id)
                w.key("sector"); w.string(s.name)
                w.key("status"); w.string(status.rawValue)
                w.key("source"); w.string("verification cell")
                body = .report(ReportRecord(id: id, sector: s.name, status: status, source: "verification cell"))
            } else if !s.counting.isEmpty && rng.unit() < 0.03 {
                // A counting report turns out wrong.
                let k = Int(rng.below(UInt64(s.counting.count)))
                let id = sectors[si].counting.remove(at: k)
                let status: ReportStatus = rng.unit() < 0.5 ? .disputed : .retracted
                if status == .disputed { sectors[si].disputed.append(id) }
                w.key("type"); w.string("report")
                w.key("at"); w.instant(t)
                w.key("id"); w.string(id)
                w.key("sector"); w.string(s.name)
                w.key("status"); w.string(status.rawValue)
                w.key("note"); w.string("Imagery does not support the original sighting")
                body = .report(ReportRecord(id: id, sector: s.name, status: status,
                                            note: "Imagery does not support the original sighting"))
            } else {
                // A new report.
                let id = "R-\(nextReport)"
                nextReport += 1
                let r = rng.unit()
                let status: ReportStatus = r < 0.55 ? .reported : r < 0.92 ? .confirmed : r < 0.96 ? .disputed : .retracted
                let observed = t - Int64(rng.below(1800))
                let kind = ScenarioGenerator.kinds[Int(rng.below(UInt64(ScenarioGenerator.kinds.count)))]
                let sr = rng.unit()
                let scale: Scale = sr < 0.8 ? .minor : sr < 0.97 ? .major : .offensive
                let source = ScenarioGenerator.sources[Int(rng.below(UInt64(ScenarioGenerator.sources.count)))]
                switch status {
                case .reported: sectors[si].pending.append(id)
                case .confirmed: sectors[si].counting.append(id)
                case .disputed: sectors[si].disputed.append(id)
                case .retracted: break
                }
                w.key("type"); w.string("report")
                w.key("at"); w.instant(t)
                w.key("id"); w.string(id)
                w.key("sector"); w.string(s.name)
                w.key("status"); w.string(status.rawValue)
                w.key("observed"); w.instant(max(observed, start))
                w.key("kind"); w.string(kind)
                w.key("scale"); w.string(scale.rawValue)
                w.key("source"); w.string(source)
                body = .report(ReportRecord(id: id, sector: s.name, status: status,
                                            observed: .absolute(max(observed, start)), kind: kind, scale: scale,
                                            source: source))
            }
            w.endObject(); w.newline()
            feed(body, at: t)
            flushIfFull()
        }
        emit(w.bytes)
    }
}

/// A small, fast, well-known PRNG (SplitMix64): deterministic across
/// platforms, so a seed always gives the same scenario.
public struct SplitMix64 {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }
    /// Uniform in [0, n).
    public mutating func below(_ n: UInt64) -> UInt64 { n == 0 ? 0 : next() % n }
}
