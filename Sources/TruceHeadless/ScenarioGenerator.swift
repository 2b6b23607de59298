import TruceEngine

#if canImport(Glibc)
import Glibc
#endif

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
        var g = Run(generator: self)
        g.header()
        for _ in 0..<records {
            g.step()
            if g.w.count >= 1 << 16 {
                emit(g.w.bytes)
                g.w.reset()
            }
        }
        emit(g.w.bytes)
    }

    /// The state of one generation run.
    struct Run {
        let gen: ScenarioGenerator
        var rng: SplitMix64
        var engine = Engine()
        var sectors: [Sector]
        var bySectorName: [String: Int] = [:]
        var active: [Int]
        var t: Instant
        /// Mean gap between records: a scenario spans about 30 days, whatever its size.
        let meanGap: Double
        var nextReport = 1
        var w = JSONWriter(capacity: 1 << 17)
        var line = 0
        /// Alerts waiting for the duty desk, oldest first: (sector, incident).
        var alertQueue: [(Int, String)] = []
        var alertHead = 0
        /// Sectors that may have an open incident (checked when picked).
        var openSectors: [Int] = []

        init(generator: ScenarioGenerator) {
            gen = generator
            rng = SplitMix64(seed: generator.seed)
            sectors = (0..<generator.sectorCount).map { i in
                let base = ScenarioGenerator.places[i % ScenarioGenerator.places.count]
                let round = i / ScenarioGenerator.places.count
                return Sector(name: round == 0 ? base : "\(base) \(round + 1)")
            }
            for (i, s) in sectors.enumerated() { bySectorName[s.name] = i }
            active = Array(0..<min(generator.sectorCount, 64))
            t = generator.start
            meanGap = min(3600, max(1, 30 * 86_400 / Double(max(1, generator.records))))
        }

        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.below(UInt64(xs.count)))] }

        mutating func header() {
            w.beginObject()
            w.key("type"); w.string("scenario")
            w.key("title"); w.string("Synthetic scenario: \(gen.records) records, \(gen.sectorCount) sectors, seed \(gen.seed)")
            w.key("start"); w.instant(gen.start)
            w.key("speed"); w.int(3600)
            w.endObject(); w.newline()
            feed(.scenario(ScenarioHeader(title: nil, start: gen.start, speed: 3600)), at: nil)
        }

        /// Runs the record through the engine and learns what happened.
        mutating func feed(_ body: RecordBody, at: Instant?) {
            line += 1
            let atField: AtField = at.map { .spec(.absolute($0)) } ?? .absent
            engine.process(.record(at: atField, body: .success(body)), line: line)
            precondition(engine.rejectedCount == 0, "generator wrote a record the engine rejects: \(engine.events)")
            learn()
        }

        /// Generator sector for each engine sector index (engine order is first use).
        var mySector: [Int] = []

        mutating func learn() {
            for e in engine.takeEvents() {
                guard let inc = e.incident, let n = Incident.number(fromID: inc) else { continue }
                let engineSector = engine.incidents[n - 1].sectorIndex
                while mySector.count <= engineSector {
                    mySector.append(bySectorName[engine.sectors[mySector.count].name] ?? -1)
                }
                let si = mySector[engineSector]
                switch e.kind {
                case .incidentOpened:
                    sectors[si].incident = inc
                    sectors[si].tier = 1
                    sectors[si].stepPending = true
                    sectors[si].openedAt = e.at!
                    sectors[si].notified = []
                    openSectors.append(si)
                    alertQueue.append((si, inc))
                case .tierEscalated:
                    sectors[si].tier = e.tier ?? sectors[si].tier
                    alertQueue.append((si, inc))
                case .tier1Overdue:
                    sectors[si].stepPending = false
                    alertQueue.append((si, inc))
                case .rosterNotified:
                    if let m = e.member { sectors[si].notified.append(m) }
                case .incidentResolved, .incidentWithdrawn:
                    sectors[si].incident = nil
                    sectors[si].counting = []
                default: break
                }
            }
        }

        mutating func step() {
            // Time moves on: exponential gaps around the mean, a few simultaneous records.
            let u = rng.unit()
            t = t + (u < 0.08 ? 0 : Int64(-log(max(rng.unit(), 1e-12)) * meanGap))
            // Timers due before this record fire first (R11): learn what they did.
            engine.advance(before: t)
            learn()
            if active.count < gen.sectorCount, rng.unit() < 0.002 {
                active[Int(rng.below(UInt64(active.count)))] = Int(rng.below(UInt64(gen.sectorCount)))
            }

            let body: RecordBody
            let roll = rng.unit()
            if roll < 0.004 {
                body = .narrate(pick(ScenarioGenerator.captions))
            } else if roll < 0.14, let (si, inc) = nextAlert() {
                body = action(.ack, si, inc)  // the duty desk works its alert queue
            } else if roll < 0.17, let si = someOpenSector(olderThan: 3 * 3600) {
                // The desk follows up an older incident.
                let s = sectors[si]
                let r = rng.unit()
                let kind: ActionKind = s.stepPending ? .warning
                    : r < 0.55 ? .resolve : r < 0.62 && s.tier < 3 ? .escalate : .response
                body = action(kind, si, s.incident!)
            } else {
                let si = pick(active)
                let s = sectors[si]
                if let inc = s.incident, rng.unit() < 0.25 {
                    let r = rng.unit()
                    if s.stepPending && r < 0.3 {
                        body = action(.warning, si, inc)
                    } else if r < 0.7, !s.notified.isEmpty {
                        body = action(rng.unit() < 0.8 ? .commit : .decline, si, inc, member: pick(s.notified))
                    } else if r < 0.85 {
                        body = action(.note, si, inc)
                    } else {
                        body = action(.response, si, inc)
                    }
                } else {
                    body = report(si)
                }
            }
            write(body)
            feed(body, at: t)
        }

        /// Writes a record as one JSON line: the same record that is fed to the engine.
        mutating func write(_ body: RecordBody) { RecordJSON.write(body, at: t, to: &w) }

        /// The oldest alert still unacknowledged, if any.
        mutating func nextAlert() -> (Int, String)? {
            while alertHead < alertQueue.count {
                let (si, inc) = alertQueue[alertHead]
                alertHead += 1
                if sectors[si].incident == inc, engine.incident(id: inc)?.acknowledged == false { return (si, inc) }
            }
            if alertHead > 4096 { alertQueue.removeAll(keepingCapacity: true); alertHead = 0 }
            return nil
        }

        mutating func someOpenSector(olderThan age: Int64) -> Int? {
            for _ in 0..<4 where !openSectors.isEmpty {
                let k = Int(rng.below(UInt64(openSectors.count)))
                let si = openSectors[k]
                guard sectors[si].incident != nil else {
                    openSectors.swapAt(k, openSectors.count - 1)
                    openSectors.removeLast()
                    continue
                }
                if t - sectors[si].openedAt > age { return si }
            }
            return nil
        }

        mutating func action(_ kind: ActionKind, _ si: Int, _ inc: String, member: String? = nil) -> RecordBody {
            let by = pick(["duty-a", "duty-b", "duty-c"])
            var note: String?
            switch kind {
            case .warning: note = "Démarche delivered; ceasefire terms restated"
            case .note: note = "Field report: \(pick(ScenarioGenerator.kinds)) fire observed"
            case .response: note = "Ukrainian units returned fire within the sector"
            default: break
            }
            if kind == .warning { sectors[si].stepPending = false }
            return .action(ActionRecord(action: kind, incident: inc, by: by, member: member, note: note))
        }

        mutating func report(_ si: Int) -> RecordBody {
            let s = sectors[si]
            var id: String
            var status: ReportStatus
            var note: String?
            if !s.pending.isEmpty && rng.unit() < 0.4 || !s.disputed.isEmpty && rng.unit() < 0.05 {
                // A verification update: pending (or disputed) reports are settled.
                let r = rng.unit()
                if !s.pending.isEmpty && (s.disputed.isEmpty || rng.unit() < 0.9) {
                    id = sectors[si].pending.removeFirst()
                    status = r < 0.75 ? .confirmed : r < 0.88 ? .disputed : .retracted
                } else {
                    id = sectors[si].disputed.removeFirst()
                    status = r < 0.6 ? .confirmed : .retracted
                }
                note = "verification cell"
            } else if !s.counting.isEmpty && rng.unit() < 0.03 {
                // A counting report turns out wrong.
                id = sectors[si].counting.remove(at: Int(rng.below(UInt64(s.counting.count))))
                status = rng.unit() < 0.5 ? .disputed : .retracted
                note = "imagery does not support the original sighting"
            } else {
                id = "R-\(nextReport)"
                nextReport += 1
                let r = rng.unit()
                status = r < 0.55 ? .reported : r < 0.92 ? .confirmed : r < 0.96 ? .disputed : .retracted
                let observed = max(gen.start, t - Int64(rng.below(1800)))
                let kind = pick(ScenarioGenerator.kinds)
                let sr = rng.unit()
                let scale: Scale = sr < 0.8 ? .minor : sr < 0.97 ? .major : .offensive
                let source = pick(ScenarioGenerator.sources)
                if status == .reported { sectors[si].pending.append(id) }
                if status == .confirmed { sectors[si].counting.append(id) }
                if status == .disputed { sectors[si].disputed.append(id) }
                return .report(ReportRecord(id: id, sector: s.name, status: status, observed: .absolute(observed),
                                            kind: kind, scale: scale, source: source))
            }
            if status == .disputed { sectors[si].disputed.append(id) }
            if status == .confirmed { sectors[si].counting.append(id) }
            return .report(ReportRecord(id: id, sector: s.name, status: status, note: note))
        }
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
