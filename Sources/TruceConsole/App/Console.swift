import TruceEngine

/// The panes that take keyboard focus, in Tab order.
public enum Pane: Int, CaseIterable, Sendable {
    case incidents, roster, pending, ticker
}

/// Something drawn over the board.
public enum Overlay: Equatable, Sendable {
    case help
    /// Full-height detail of the selected incident.
    case detail
    /// Asks before a resolve or escalate.
    case confirm(ActionKind, incident: String)
    /// A one-line text prompt.
    case prompt(PromptKind, text: String, cursor: Int)
}

public enum PromptKind: Equatable, Sendable {
    case note(incident: String)
    case filter
}

/// What the caller should do after a key.
public enum KeyOutcome: Equatable, Sendable {
    case nothing
    case redraw
    case quit
}

/// The console: the engine, the demo clock when there is one, and the UI
/// state. Keys become action records that go through the engine like any
/// other record; rendering reads a `BoardModel`. No terminal in here.
public struct Console: Sendable {
    public private(set) var engine: Engine
    public var demo: DemoClock?
    /// Name recorded as `by` on operator actions.
    public let operatorName: String
    /// Live operation: operator actions are queued in `outbox` for the journal
    /// and reach the engine only once journaled; time is the wall clock.
    public let live: Bool
    /// Actions waiting to be journaled (live mode).
    public private(set) var outbox: [ActionRecord] = []
    /// The wall-clock time in live mode.
    public private(set) var wallNow: Instant?

    public var focus: Pane = .incidents
    public var sort: SortMode = .urgency
    public var filter = ""
    public var overlay: Overlay?
    /// The selected incident, by id, so it survives re-sorting. Until the
    /// operator picks one, it follows the top of the list (the most urgent).
    public var selectedIncident: String? {
        didSet { followTop = false }
    }
    /// True until the operator selects an incident themselves.
    public private(set) var followTop = true
    public var incidentScroll = 0
    public var rosterIndex = 0
    public var pendingScroll = 0
    public var tickerScroll = 0
    /// A one-line message for the operator (an action rejected, a theme name, …).
    public var message: (text: String, isError: Bool)?
    public var themes: [Theme]
    public var themeIndex = 0
    /// Show times in the local zone instead of UTC (the `L` key).
    public var localTime = false
    /// Latest narration caption.
    public private(set) var caption: String?
    /// Recent events, newest last (bounded).
    public private(set) var recent: [Event] = []
    /// How many recent events the console keeps (and a caller building an
    /// engine for it needs to keep).
    public static let recentLimit = 2000
    private var operatorLine = 0

    public init(engine: Engine, demo: DemoClock? = nil, operatorName: String, themes: [Theme] = [.builtIn], live: Bool = false) {
        self.engine = engine
        self.demo = demo
        self.operatorName = operatorName
        self.live = live
        self.themes = themes.isEmpty ? [.builtIn] : themes
        if var d = self.demo {
            d.feed(&self.engine)
            self.demo = d
        }
        absorb()
    }

    public var theme: Theme { themes[themeIndex % themes.count] }

    /// The time the board shows: the demo's simulated clock, else the engine's.
    public var now: Instant { demo?.now ?? wallNow ?? engine.clock ?? Instant(seconds: 0) }

    public func model() -> BoardModel { BoardModel(engine: engine, now: now, sort: sort, filter: filter) }

    // MARK: - Time

    /// Advances a demo by real seconds. Returns whether the board changed.
    public mutating func tick(realSeconds: Double) -> Bool {
        guard var d = demo else { return false }
        let before = d.now
        d.advance(realSeconds: realSeconds)
        let fed = d.feed(&engine)
        demo = d
        absorb()
        return fed || d.now != before
    }

    // MARK: - Live operation

    /// Feeds a journaled record into the engine (live mode).
    public mutating func ingest(_ line: String, number: Int, receivedAt: Instant) {
        engine.process(line: line, number: number, receivedAt: receivedAt)
        absorb()
    }

    /// Moves the wall clock and fires the timers due by then (live mode).
    public mutating func advanceClock(to t: Instant) -> Bool {
        let changed = wallNow != t
        wallNow = t
        engine.advance(through: t)
        let had = !engine.events.isEmpty
        absorb()
        return changed || had
    }

    /// Shows a rejected input line (from a feed) in the events pane.
    public mutating func noteRejection(_ text: String, at: Instant) {
        var e = Event(at: at, kind: .inputRejected)
        e.reason = text
        recent.append(e)
        if recent.count > Console.recentLimit { recent.removeFirst(recent.count - Console.recentLimit) }
    }

    /// Takes the queued actions to journal them.
    public mutating func takeOutbox() -> [ActionRecord] {
        defer { outbox.removeAll() }
        return outbox
    }

    /// Says what became of a journaled action.
    public mutating func report(_ text: String, isError: Bool) { message = (text, isError) }

    /// Takes the engine's new events into the ticker and caption.
    mutating func absorb() {
        let events = engine.takeEvents()
        guard !events.isEmpty else { return }
        for e in events where e.kind == .narration { caption = e.text }
        recent.append(contentsOf: events)
        if recent.count > Console.recentLimit { recent.removeFirst(recent.count - Console.recentLimit) }
        if followTop || selectedIncident == nil {
            selectedIncident = model().rows.first?.id
            followTop = true
        }
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key) -> KeyOutcome {
        if key == .resize { return .redraw }
        if let overlay { return handleOverlay(overlay, key) }
        message = nil
        switch key {
        case .char("q"): return .quit
        case .char("?"): overlay = .help
        case .tab: focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count)!
        case .backTab: focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
        case .up, .char("k"): move(-1)
        case .down, .char("j"): move(1)
        case .pageUp: move(-10)
        case .pageDown: move(10)
        case .home, .char("g"): move(Int.min / 2)
        case .end, .char("G"): move(Int.max / 2)
        case .enter: if selectedIncident != nil { overlay = .detail }
        case .char("s"):
            sort = sort.next
            message = ("sorted by \(sort.rawValue)", false)
        case .char("/"): overlay = .prompt(.filter, text: filter, cursor: filter.count)
        case .char("L"):
            localTime.toggle()
            message = (localTime ? "times shown in local time" : "times shown in UTC", false)
        case .char("t"):
            themeIndex = (themeIndex + 1) % themes.count
            message = ("theme: \(theme.name)", false)
        case .char("a"): act(.ack)
        case .char("w"): act(.warning)
        case .char("r"): act(.response)
        case .char("n"):
            guard let id = selectedIncident else { return noIncident() }
            overlay = .prompt(.note(incident: id), text: "", cursor: 0)
        case .char("R"):
            guard let id = selectedIncident else { return noIncident() }
            overlay = .confirm(.resolve, incident: id)
        case .char("E"):
            guard let id = selectedIncident else { return noIncident() }
            overlay = .confirm(.escalate, incident: id)
        case .char("c"), .char("d"):
            guard focus == .roster else {
                message = ("commit and decline work in the roster pane: Tab to it and pick a member", true)
                return .redraw
            }
            guard engine.policy.roster.indices.contains(rosterIndex) else { return .nothing }
            act(key == .char("c") ? .commit : .decline, member: engine.policy.roster[rosterIndex].code)
        case .char(" "):
            guard demo != nil else { return .nothing }
            demo!.paused.toggle()
        case .char("+"), .char("="):
            guard demo != nil else { return .nothing }
            demo!.faster()
            message = ("speed ×\(Console.speedText(demo!.speed))", false)
        case .char("-"):
            guard demo != nil else { return .nothing }
            demo!.slower()
            message = ("speed ×\(Console.speedText(demo!.speed))", false)
        case .char("."):
            guard demo != nil else { return .nothing }
            if demo!.finished {
                message = ("end of the walkthrough", false)
            } else {
                demo!.step(&engine)
                absorb()
            }
        case .escape:
            if !filter.isEmpty { filter = ""; message = ("filter cleared", false) }
        default:
            return .nothing
        }
        return .redraw
    }

    private mutating func noIncident() -> KeyOutcome {
        message = ("no incident selected", true)
        return .redraw
    }

    private mutating func handleOverlay(_ o: Overlay, _ key: Key) -> KeyOutcome {
        switch o {
        case .help, .detail:
            if key == .escape || key == .char("q") || key == .char("?") || key == .enter { overlay = nil }
            else if o == .detail, key == .up || key == .down || key == .char("j") || key == .char("k") {
                move(key == .up || key == .char("k") ? -1 : 1)
            } else { return .nothing }
        case .confirm(let kind, let id):
            overlay = nil
            if key == .char("y") || key == .char("Y") || key == .enter {
                act(kind, incident: id)
            } else {
                message = ("\(kind.rawValue) cancelled", false)
            }
        case .prompt(let kind, var text, var cursor):
            switch key {
            case .escape:
                overlay = nil
                message = ("cancelled", false)
                return .redraw
            case .enter:
                overlay = nil
                switch kind {
                case .filter:
                    filter = text
                    if let first = model().rows.first { selectedIncident = first.id }
                case .note(let id):
                    guard !trimmed(text).isEmpty else {
                        message = ("empty note not recorded", true)
                        return .redraw
                    }
                    act(.note, incident: id, note: text)
                }
                return .redraw
            case .backspace:
                guard cursor > 0 else { return .nothing }
                let i = text.index(text.startIndex, offsetBy: cursor - 1)
                text.remove(at: i)
                cursor -= 1
            case .delete:
                guard cursor < text.count else { return .nothing }
                text.remove(at: text.index(text.startIndex, offsetBy: cursor))
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(text.count, cursor + 1)
            case .home, .ctrl("a"): cursor = 0
            case .end, .ctrl("e"): cursor = text.count
            case .ctrl("u"):
                text.removeSubrange(text.startIndex..<text.index(text.startIndex, offsetBy: cursor))
                cursor = 0
            case .char(let c):
                guard text.count < 500 else { return .nothing }
                text.insert(c, at: text.index(text.startIndex, offsetBy: cursor))
                cursor += 1
            default:
                return .nothing
            }
            overlay = .prompt(kind, text: text, cursor: cursor)
            if case .filter = kind { filter = text }  // live filtering while typing
        }
        return .redraw
    }

    /// Sends an operator action through the engine, like any other record.
    mutating func act(_ kind: ActionKind, incident: String? = nil, member: String? = nil, note: String? = nil) {
        guard let id = incident ?? selectedIncident else {
            message = ("no incident selected", true)
            return
        }
        operatorLine += 1
        let record = ActionRecord(action: kind, incident: id, by: operatorName, member: member, note: note)
        if live {
            outbox.append(record)  // journaled first; the board shows it when it is back from the journal
            message = ("\(kind.rawValue) on \(id): journaling…", false)
            return
        }
        let before = engine.rejectedCount
        engine.process(.record(at: .absent, body: .success(.action(record))), line: operatorLine)
        let events = engine.events
        absorb()
        if engine.rejectedCount > before, let r = events.last(where: { $0.kind == .inputRejected }) {
            message = ("\(kind.rawValue) rejected: \(r.reason ?? "")", true)
        } else {
            let who = member.map { " (\($0))" } ?? ""
            message = ("\(kind.rawValue)\(who) recorded on \(id)", false)
        }
    }

    private mutating func move(_ delta: Int) {
        switch focus {
        case .incidents:
            let rows = model().rows
            guard !rows.isEmpty else { selectedIncident = nil; return }
            let current = rows.firstIndex { $0.id == selectedIncident } ?? 0
            let target = min(rows.count - 1, max(0, current.addingReportingOverflow(delta).partialValue))
            selectedIncident = rows[target].id
        case .roster:
            let n = engine.policy.roster.count
            rosterIndex = min(max(0, n - 1), max(0, rosterIndex.addingReportingOverflow(delta).partialValue))
        case .pending:
            pendingScroll = max(0, pendingScroll.addingReportingOverflow(delta).partialValue)
        case .ticker:
            tickerScroll = max(0, tickerScroll.addingReportingOverflow(-delta).partialValue)
        }
    }

    static func speedText(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }
}
