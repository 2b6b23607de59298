import TruceEngine

/// The panes that take keyboard focus, in Tab order.
public enum Pane: Int, CaseIterable, Sendable {
    case incidents, roster, pending, ticker
}

/// An action waiting for the operator's `y`.
public struct Confirmation: Equatable, Sendable {
    public var action: ActionKind
    public var incident: String
    public var member: String?
    /// The question as shown, naming the incident (and the member).
    public var question: String
    /// The frame count when it opened: a `y` counts only once it was seen.
    var openedAtFrame: Int
}

/// Something drawn over the board.
public enum Overlay: Equatable, Sendable {
    case help
    /// Full-height detail of the selected incident.
    case detail
    /// The events pane's lines in full, wrapped (Enter in the events pane).
    case events
    /// The roster or the pending reports in full (Enter in those panes).
    case full(Pane)
    /// Asks before an action that writes a record.
    case confirm(Confirmation)
    /// A one-line text prompt; `cursor` counts characters (grapheme clusters).
    case prompt(PromptKind, text: String, cursor: Int)
}

public enum PromptKind: Equatable, Sendable {
    case note(incident: String)
    case filter
    /// `@`: the instant to review.
    case reviewTime
}

/// A line for the operator: what a key did, or why it did nothing.
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    public init(text: String, isError: Bool) { self.text = text; self.isError = isError }
}

/// The console: the engine, the demo clock when there is one, and the UI
/// state, changed only by `update(_:)`, one message at a time (keys, ticks,
/// records pulled from the journal, append outcomes, resizes). What it needs
/// done outside (journal an action, read feeds, pull records, quit) it
/// returns as effects; a session carries them out and answers with messages.
/// No terminal in here, and no clock: time arrives in `.tick`.
///
/// Operator safety: an action key acts only on the selected incident, and
/// only while the board shows it (the terminal is big enough, the filter
/// lets it through, and a selection the console moved by itself has been
/// drawn). Actions that write a record other than an acknowledgement ask
/// first, and the answer counts only after the question was on screen.
public struct Console: Sendable {
    public private(set) var engine: Engine
    public private(set) var demo: DemoClock?
    /// Name recorded as `by` on operator actions.
    public let operatorName: String
    /// Live operation: actions are journaled (an effect) and reach the
    /// engine only when they come back from the journal.
    public let live: Bool

    public internal(set) var focus: Pane = .incidents
    public internal(set) var sort: SortMode = .urgency
    /// The sort the other way round (`S`).
    public internal(set) var sortReversed = false
    public internal(set) var filter = ""
    public internal(set) var overlay: Overlay?
    /// The selected incident, by id: it survives re-sorting, new incidents
    /// and resizes. Only the operator moves it, except when it leaves the
    /// list (the console then picks its neighbour and says so) or when
    /// nothing was selected and incidents appear.
    public internal(set) var selectedIncident: String?
    public internal(set) var rosterIndex = 0
    /// How far the help overlay is scrolled.
    public private(set) var helpScroll = 0
    public private(set) var pendingScroll = 0
    public private(set) var tickerScroll = 0
    /// The events pane's lines as they were when it was scrolled back (nil while it follows).
    private(set) var tickerHeld: [TickerItem]?
    /// Refusals that have left the message line, for the events pane (the newest 200).
    private(set) var notes: [(at: Instant, text: String)] = []
    /// When the message on the message line was said (monotonic seconds).
    private var messageSaidAt: Double?
    /// How long a message stays on the message line before the key hints come
    /// back; a refusal then goes on in the events pane.
    public static let messageSeconds = 6.0, errorSeconds = 12.0
    public internal(set) var message: StatusMessage?
    public let themes: [Theme]
    public internal(set) var themeIndex = 0
    /// Show times in the local zone instead of UTC (the `L` key).
    public internal(set) var localTime = false
    /// Latest narration caption.
    public private(set) var caption: String?
    /// Recent events, newest last (bounded).
    public private(set) var recent: [Event] = []
    /// How many recent events the console keeps (and a caller building an
    /// engine for it needs to keep).
    public static let recentLimit = 2000
    /// The terminal size, from `.resize`; nothing is on screen until it is known.
    public internal(set) var width = 0
    public internal(set) var height = 0

    /// The incidents as listed, rebuilt only when something it shows changed.
    public private(set) var list = IncidentList()
    /// Bumped whenever the engine changes (the list's cache key).
    private var generation = 0
    /// Incidents the engine touched since the list was last brought up to
    /// date (nil: not known, rebuild it all).
    private var touched: Set<Int>?
    /// Frames drawn so far (`.frameShown`).
    private var framesShown = 0
    /// The frame count when the console moved the selection by itself: an
    /// action needs a frame drawn after that.
    private var autoSelectedAt: Int?
    /// Where the selection was in the list, to pick a neighbour when it leaves.
    private var selectedPosition = 0
    private var operatorLine = 0
    // Live operation.
    private var wallNow: Instant?
    private var wallFraction = 0.0
    private var lastMonotonic: Double?
    private var backlog: Bool
    private var nextRequest = 1
    private var inFlight: [Int: String] = [:]

    /// What the board is fed by, for the top bar: `LIVE · journal ~/…`, `DEMO climb`.
    public let source: String
    /// Ring the terminal's bell on every new alert (an incident opened or
    /// escalated, a tier-1 step overdue); `b` toggles, `--bell` starts with it on.
    public private(set) var bellOn: Bool
    /// A new alert arrived since the last effects were returned.
    private var alerted = false
    /// The live feeds' health, once the session has reported it.
    public private(set) var feeds: FeedHealth?
    /// Since when the shared journal has been unreachable (nil: reachable, or none).
    public private(set) var offlineSince: Instant?
    /// Records in this site's outbox, waiting for the shared journal.
    public private(set) var queuedCount = 0
    /// The first of them, shown as provisional (the outbox's order).
    public private(set) var provisional: [Provisional] = []

    /// The board at a past instant, while reviewing (`[ ] { } @`; Esc returns to now).
    public internal(set) var review: Review?
    /// A demo's operator actions, so that its past can be played again.
    var demoActions: [DemoTape.Action] = []
    /// The demo's past, kept between steps for its checkpoints (made again when an action is added).
    var demoTape: DemoTape?
    /// Review steps typed in this burst of keys, not yet asked for: a key
    /// held down is one step of many, asked once before the next frame.
    var pendingReview: ReviewRequest?
    /// A review was asked of the session and not answered yet: action keys wait for the board it brings.
    var reviewAsked = false

    /// An acknowledgement of this incident waits in the outbox.
    func ackQueued(_ incident: String) -> Bool { provisional.contains { $0.isAck && $0.incident == incident } }
    /// How often a live board looks for new records, in seconds (at most 1;
    /// a shared journal's console looks more often, so other sites' records
    /// show sooner).
    public var pollInterval = 1.0

    public init(engine: Engine, demo: DemoClock? = nil, operatorName: String, themes: [Theme] = [.builtIn], live: Bool = false,
                source: String = "", bell: Bool = false) {
        self.engine = engine
        self.source = source
        self.bellOn = bell
        self.demo = demo
        self.operatorName = operatorName
        self.live = live
        self.themes = themes.isEmpty ? [.builtIn] : themes
        self.engine.tracksTouched = true
        backlog = live  // the first live wake comes at once
        if var d = self.demo {
            d.feed(&self.engine)
            self.demo = d
        }
        absorb()
        settle()
        alerted = false  // what the board starts with is not news
    }

    public var theme: Theme { themes[themeIndex % themes.count] }

    /// The time the board shows: the demo's simulated clock, else the wall clock, else the engine's.
    public var now: Instant { demo?.now ?? wallNow ?? engine.clock ?? Instant(seconds: 0) }

    /// How long the run loop may sleep before the next `.tick`, in
    /// milliseconds (-1: until a key). The model decides, not the terminal.
    public var wakeAfterMilliseconds: Int32 {
        let board = boardWake
        // A message on the message line wakes the loop when its time is up (a paused board otherwise sleeps).
        guard let left = lastMonotonic.flatMap({ messageLeft(at: $0) }) else { return board }
        let ms = Int32(max(1, min(60_000, left * 1000 + 1)))
        return board < 0 ? ms : min(board, ms)
    }

    private var boardWake: Int32 {
        if live {
            if backlog { return 0 }
            let poll = Int32(max(1, min(1, pollInterval) * 1000))
            return min(poll, Int32(max(1, min(1000, (1 - wallFraction) * 1000 + 1))))
        }
        guard let d = demo else { return -1 }
        let running = !d.paused && !(d.finished && engine.nextTimerDue == nil)
        return running ? 100 : -1
    }

    /// How far behind the wall clock the live engine's timers run, so that a
    /// record another process stamped just before a second boundary, and
    /// committed just after, is never behind the engine's clock.
    public static let liveTimerLag: Int64 = 2

    // MARK: - Update

    /// Applies one message; returns what must be done outside.
    public mutating func update(_ message: Message) -> [Effect] {
        var effects: [Effect] = []
        switch message {
        case .key(let key):
            effects = handle(key)
        case .resize(let w, let h):
            width = max(0, w)
            height = max(0, h)
            if var r = review {
                _ = r.board.update(message)
                review = r
            }
        case .tick(let monotonic, let wall):
            let elapsed = lastMonotonic.map { max(0, monotonic - $0) } ?? 0
            lastMonotonic = monotonic
            expireMessage(at: monotonic)
            if var d = demo {
                d.advance(realSeconds: elapsed)
                let (records, due) = (engine.acceptedCount + engine.rejectedCount, engine.nextTimerDue)
                d.feed(&engine)
                demo = d
                noteChange(records: records, due: due)
                absorb()
            }
            if live {
                let whole = wall.rounded(.down)
                wallFraction = wall - whole
                let t = Instant(seconds: Int64(whole))
                wallNow = t
                effects = [.pollFeeds, .pull(through: t - Console.liveTimerLag)]
            }
            effects += flushReview()
        case .frameShown:
            framesShown += 1
        case .pulled(let lines, let through):
            let (records, due) = (engine.acceptedCount + engine.rejectedCount, engine.nextTimerDue)
            for l in lines {
                engine.process(RecordDecoder.decode(l.line), line: Int(l.seq), receivedAt: l.receivedAt, origin: l.origin, drain: { _ in })
            }
            if let through, let c = engine.clock, through > c { engine.advance(through: through) }
            noteChange(records: records, due: due)
            absorb()
        case .appended(let id, let outcome):
            // A queued action is answered twice: queued now, recorded or rejected once the shared journal judged it.
            let label = (outcome == .queued ? inFlight[id] : inFlight.removeValue(forKey: id)) ?? "action"
            switch outcome {
            case .accepted: say("\(label) recorded")
            case .rejected(let why): say("\(label) rejected: \(why)", error: true)
            case .failed(let why): say("\(label) not recorded: \(why)", error: true)
            case .queued where offlineSince != nil:
                say("\(label) queued: the shared journal is unreachable; it is pushed when the journal is back", error: true)
            case .queued: say("\(label) sent to the shared journal (provisional until it is back)")
            }
        case .feedRejected(let text, let at):
            var e = Event(at: at, kind: .inputRejected)
            e.reason = text
            remember([e])
        case .backlog(let more):
            backlog = more
        case .journalError(let text):
            say("journal: \(text)", error: true)
        case .notice(let text, let isError):
            say(text, error: isError)
        case .feeds(let health):
            let worse = health.problems.contains { !(feeds?.problems.contains($0) ?? false) }
            feeds = health
            if worse { say("feed " + health.problems.joined(separator: "; "), error: true) }
        case .reviewed(let answer):
            reviewAsked = false
            showReview(answer)
        case .upstream(let problem, let since, let queued, let pending):
            queuedCount = queued
            provisional = pending
            if let problem {
                if offlineSince == nil { say("shared journal unreachable: \(problem); the board shows this site's mirror", error: true) }
                offlineSince = offlineSince ?? since
            } else if offlineSince != nil {
                offlineSince = nil
                say("shared journal reachable again")
            }
        }
        settle()
        if alerted {
            alerted = false
            if bellOn { effects.append(.bell) }
        }
        return effects
    }

    /// The engine changed if a record went in or a timer came due (a timer
    /// can change state without an event): the list is rebuilt only then,
    /// never merely because time passed.
    private mutating func noteChange(records: Int, due: Instant?) {
        let changed = engine.acceptedCount + engine.rejectedCount != records
            || due.map { t in engine.clock.map { t <= $0 } ?? false } == true
        if changed { generation += 1 }
    }

    /// Takes the engine's new events into the ticker and caption.
    private mutating func absorb() {
        for i in engine.takeTimerTouched() { touched?.insert(Int(i)) }
        let events = engine.takeEvents()
        guard !events.isEmpty else { return }
        for e in events {
            if let id = e.incident, let n = Incident.number(fromID: id) { touched?.insert(n - 1) }
        }
        generation += 1
        for e in events where e.kind == .narration { caption = e.text }
        if events.contains(where: { $0.kind == .incidentOpened || $0.kind == .tierEscalated || $0.kind == .tier1Overdue }) {
            alerted = true
        }
        remember(events)
    }

    private mutating func remember(_ events: [Event]) {
        recent.append(contentsOf: events)
        if recent.count > Console.recentLimit { recent.removeFirst(recent.count - Console.recentLimit) }
    }

    /// Brings the list up to date and keeps the selection on a listed incident.
    mutating func settle() {
        list.refresh(engine: engine, now: now, sort: sort, reversed: sortReversed, filter: filter, generation: generation,
                     touched: touched)
        touched = []
        let rows = list.rows
        if let id = selectedIncident, let i = list.index(of: id) {
            selectedPosition = i
            return
        }
        guard !rows.isEmpty else { return }
        let neighbour = rows[min(selectedPosition, rows.count - 1)].id
        if let gone = selectedIncident {
            let why = filter.isEmpty ? "is no longer listed" : "is hidden by the filter"
            say("\(gone) \(why): selected \(label(neighbour))")
        }
        selectedIncident = neighbour
        selectedPosition = list.index(of: neighbour) ?? 0
        autoSelectedAt = framesShown
    }

    mutating func say(_ text: String, error: Bool = false) {
        message = StatusMessage(text: text, isError: error)
        messageSaidAt = lastMonotonic ?? 0
    }

    /// Seconds the message on the message line has left, if there is one.
    private func messageLeft(at monotonic: Double) -> Double? {
        guard let m = message, let said = messageSaidAt else { return nil }
        return (m.isError ? Console.errorSeconds : Console.messageSeconds) - (monotonic - said)
    }

    /// Takes the message off the message line once its time is up.
    private mutating func expireMessage(at monotonic: Double) {
        guard let left = messageLeft(at: monotonic), left <= 0 else { return }
        retireMessage()
    }

    /// Takes the message off the message line; a refusal goes on in the events pane.
    mutating func retireMessage() {
        if let m = message, m.isError {
            notes.append((now, m.text))
            if notes.count > 200 { notes.removeFirst(notes.count - 200) }
        }
        message = nil
        messageSaidAt = nil
    }

    // MARK: - Keys

    private mutating func handle(_ key: Key) -> [Effect] {
        // Review steps typed before this key are taken first: the key then meets the board they lead to.
        if pendingReview != nil, !Console.isReviewStep(key) { return flushReview() + handleKey(key) }
        return handleKey(key)
    }

    private mutating func handleKey(_ key: Key) -> [Effect] {
        if key == .resize { return [] }
        if case .mouse(let e) = key {
            mouse(e)
            return []
        }
        if review != nil, overlay == nil { return handleReviewing(key) }
        if let overlay { return handleOverlay(overlay, key) }
        if case .paste = key {
            say("a paste is not taken as keys; paste into a prompt (n, /)", error: true)
            return []
        }
        guard let command = KeyMap.command(for: key) else { return [] }
        retireMessage()
        switch command {
        case .quit: return [.quit]
        case .redraw: return [.repaint]
        case .help:
            overlay = .help
            helpScroll = 0
        case .nextPane: focus = Pane(rawValue: (focus.rawValue + 1) % Pane.allCases.count)!
        case .previousPane: focus = Pane(rawValue: (focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
        case .up: move(-1)
        case .down: move(1)
        case .pageUp: move(-10)
        case .pageDown: move(10)
        case .first: move(Int.min / 2)
        case .last: move(Int.max / 2)
        case .detail:
            if focus == .ticker {
                overlay = .events
            } else if focus == .roster || focus == .pending {
                overlay = .full(focus)
            } else if case .failure(let why) = target() {
                say(why.text, error: true)
            } else {
                overlay = .detail
            }
        case .sort:
            sort = sort.next
            sortReversed = false
            saySort()
        case .reverseSort:
            sortReversed.toggle()
            saySort()
        case .filter: overlay = .prompt(.filter, text: filter, cursor: filter.count)
        case .escape:
            if !filter.isEmpty { filter = ""; say("filter cleared") }
        case .bell:
            bellOn.toggle()
            say(bellOn ? "bell on: it rings on every new alert" : "bell off")
        case .localTime:
            localTime.toggle()
            say(localTime ? "times shown in local time" : "times shown in UTC")
        case .theme:
            themeIndex = (themeIndex + 1) % themes.count
            say("theme: \(theme.name)")
        case .ack: return request(.ack)
        case .warning: return request(.warning)
        case .response: return request(.response)
        case .escalate: return request(.escalate)
        case .resolve: return request(.resolve)
        case .note: return request(.note)
        case .commit, .decline:
            guard focus == .roster else {
                say("commit and decline work in the roster pane: Tab to it and pick a member", error: true)
                return []
            }
            return request(command == .commit ? .commit : .decline)
        case .reviewBack, .reviewForward, .reviewHourBack, .reviewHourForward, .reviewAt:
            return reviewKey(command)
        case .pause:
            guard demo != nil else { return [] }
            demo!.paused.toggle()
        case .faster:
            guard demo != nil else { return [] }
            demo!.faster()
            say("speed ×\(Console.speedText(demo!.speed))")
        case .slower:
            guard demo != nil else { return [] }
            demo!.slower()
            say("speed ×\(Console.speedText(demo!.speed))")
        case .step:
            guard demo != nil else { return [] }
            if demo!.finished {
                say("end of the walkthrough")
            } else {
                demo!.step(&engine)
                generation += 1
                absorb()
            }
        }
        return []
    }

    private mutating func handleOverlay(_ o: Overlay, _ key: Key) -> [Effect] {
        switch o {
        case .help:
            if key == .escape || key == .char("q") || key == .char("?") || key == .enter {
                overlay = nil
            } else if let c = KeyMap.command(for: key) {
                switch c {
                case .up: scrollHelp(to: helpScroll - 1)
                case .down: scrollHelp(to: helpScroll + 1)
                case .pageUp: scrollHelp(to: helpScroll - 10)
                case .pageDown: scrollHelp(to: helpScroll + 10)
                case .first: scrollHelp(to: 0)
                case .last: scrollHelp(to: .max)
                default: break
                }
            }
        case .events, .full:
            if key == .escape || key == .char("q") || key == .enter { overlay = nil }
        case .detail:
            if key == .escape || key == .char("q") || key == .enter {
                overlay = nil
            } else if let c = KeyMap.command(for: key) {
                switch c {
                case .up, .down: move(c == .up ? -1 : 1)
                case .ack, .warning, .response, .escalate, .resolve, .note:
                    let kind: ActionKind = c == .ack ? .ack : c == .warning ? .warning : c == .response ? .response
                        : c == .escalate ? .escalate : c == .resolve ? .resolve : .note
                    return request(kind)
                case .help: overlay = .help
                default: break
                }
            }
        case .confirm(let q):
            overlay = nil
            guard key == .char("y") || key == .char("Y") else {
                say("\(q.action.rawValue) \(label(q.incident)) cancelled")
                return []
            }
            guard framesShown > q.openedAtFrame else {
                say("\(q.action.rawValue) not recorded: answered before the question was on screen; ask again", error: true)
                return []
            }
            return commit(q.action, incident: q.incident, member: q.member)
        case .prompt(let kind, var text, var cursor):
            switch key {
            case .escape:
                overlay = nil
                if case .filter = kind { filter = "" }
                say("cancelled")
                return []
            case .enter:
                overlay = nil
                switch kind {
                case .filter:
                    filter = text
                case .reviewTime:
                    return reviewTime(text)
                case .note(let id):
                    guard !trimmed(text).isEmpty else {
                        say("empty note not recorded", error: true)
                        return []
                    }
                    return commit(.note, incident: id, note: text)
                }
                return []
            case .backspace:
                guard cursor > 0 else { return [] }
                text.remove(at: text.index(text.startIndex, offsetBy: cursor - 1))
                cursor -= 1
            case .delete:
                guard cursor < text.count else { return [] }
                text.remove(at: text.index(text.startIndex, offsetBy: cursor))
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(text.count, cursor + 1)
            case .home, .ctrl("a"): cursor = 0
            case .end, .ctrl("e"): cursor = text.count
            case .ctrl("u"):
                text.removeSubrange(text.startIndex..<text.index(text.startIndex, offsetBy: cursor))
                cursor = 0
            case .char(let c):
                insert(String(c), into: &text, cursor: &cursor)
            case .paste(let p):
                // One line of printable text: line breaks become spaces, controls go.
                let clean = String(String.UnicodeScalarView(p.unicodeScalars.compactMap { u -> Unicode.Scalar? in
                    u == "\n" || u == "\r" || u == "\t" ? " " : (u.value < 0x20 || u.value == 0x7F) ? nil : u
                }))
                insert(clean, into: &text, cursor: &cursor)
            default:
                return []
            }
            overlay = .prompt(kind, text: text, cursor: cursor)
            if case .filter = kind { filter = text }  // live filtering while typing
        }
        return []
    }

    /// Inserts text at the cursor. Characters are grapheme clusters, so a
    /// combining mark joins the character before it and the cursor follows.
    private func insert(_ s: String, into text: inout String, cursor: inout Int) {
        let room = Console.promptLimit - text.count
        guard room > 0 else { return }
        let merged = String(text.prefix(cursor)) + String(s.prefix(room))
        text = merged + String(text.dropFirst(cursor))
        cursor = min(text.count, merged.count)
    }

    /// The longest prompt text, in characters.
    public static let promptLimit = 500

    // MARK: - Actions

    /// Why an action key did nothing.
    struct Refusal: Error {
        var text: String
    }

    /// `INC-0004 Siversk`: how an action names its target.
    func label(_ id: String) -> String {
        guard let inc = engine.incident(id: id) else { return id }
        return "\(inc.id) \(inc.sector)"
    }

    /// The selected incident, if the operator can see it: the board is drawn
    /// (not too small), the list shows it, and it has been on screen since
    /// the console last moved the selection by itself.
    private func target() -> Result<Incident, Refusal> {
        guard BoardLayout(width: width, height: height) != nil else {
            return .failure(Refusal(text: "nothing recorded: the board is not on screen (terminal too small)"))
        }
        guard let id = selectedIncident, let inc = engine.incident(id: id) else {
            return .failure(Refusal(text: list.rows.isEmpty ? "no incident on the board" : "no incident selected: ↑ ↓ to select one"))
        }
        guard list.contains(id) else {
            return .failure(Refusal(text: "nothing recorded: \(id) is not on screen (hidden by the filter; Esc clears it)"))
        }
        if let a = autoSelectedAt, framesShown <= a {
            return .failure(Refusal(text: "nothing recorded: the selection moved to \(id) before it was shown; look again"))
        }
        return .success(inc)
    }

    /// An action key: checks the target and whether the action can succeed,
    /// then asks first (or, for `a`, acts; for `n`, opens the prompt).
    private mutating func request(_ kind: ActionKind) -> [Effect] {
        if reviewAsked {
            say("nothing recorded: the board is on its way to the past", error: true)
            return []
        }
        let inc: Incident
        switch target() {
        case .failure(let why): say(why.text, error: true); return []
        case .success(let i): inc = i
        }
        let name = "\(inc.id) \(inc.sector)"
        var member: Member?
        if kind == .commit || kind == .decline {
            guard engine.policy.roster.indices.contains(rosterIndex) else { say("no member selected", error: true); return [] }
            member = engine.policy.roster[rosterIndex]
        }
        if !inc.isOpen && kind != .note {
            say("\(kind.rawValue) not possible: \(name) is \(inc.status.rawValue) (only a note can be added)", error: true)
            return []
        }
        switch kind {
        case .ack where inc.acknowledged:
            say("\(name) already acknowledged", error: true)
            return []
        case .ack where ackQueued(inc.id):
            say("\(name) acknowledgement already queued for the shared journal", error: true)
            return []
        case .escalate where inc.tier >= 3:
            say("\(name) is already at tier 3: no higher tier", error: true)
            return []
        case .commit where inc.answers[member!.code] == .committed, .decline where inc.answers[member!.code] == .declined:
            say("\(member!.code) has already \(kind == .commit ? "committed to" : "declined") \(name)", error: true)
            return []
        default: break
        }
        let question: String
        switch kind {
        case .ack: return commit(.ack, incident: inc.id)
        case .note:
            overlay = .prompt(.note(incident: inc.id), text: "", cursor: 0)
            return []
        case .warning:
            question = "Record the diplomatic warning on \(name)?"
                + (inc.step == .pending ? " It completes the tier-1 step." : " (the tier-1 step is already \(inc.step.rawValue))")
        case .response: question = "Record a response on \(name)?"
        case .escalate: question = "Escalate \(name) to tier \(inc.tier + 1) — \(Policy.tierName(inc.tier + 1))?"
        case .resolve: question = "Resolve \(name)? Its clocks stop."
        case .commit: question = "\(member!.code) \(member!.name) commits to \(name)?"
        case .decline: question = "\(member!.code) \(member!.name) declines \(name)?"
        }
        overlay = .confirm(Confirmation(action: kind, incident: inc.id, member: member?.code, question: question,
                                        openedAtFrame: framesShown))
        return []
    }

    /// Sends an operator action on its way: into the journal (live), or
    /// through the engine at the demo's clock.
    private mutating func commit(_ kind: ActionKind, incident id: String, member: String? = nil, note: String? = nil) -> [Effect] {
        let record = ActionRecord(action: kind, incident: id, by: operatorName, member: member, note: note)
        let what = "\(kind.rawValue)\(member.map { " \($0)" } ?? "") \(label(id))"
        if live {
            let request = AppendRequest(id: nextRequest, record: record, label: what)
            nextRequest += 1
            inFlight[request.id] = what
            say("\(what): journaling…")
            return [.append(request)]
        }
        operatorLine += 1
        if let d = demo { demoActions.append(DemoTape.Action(afterLines: d.next, clock: engine.clock, line: operatorLine, record: record)) }
        let before = engine.rejectedCount
        engine.process(.record(at: .absent, body: .success(.action(record))), line: operatorLine)
        let events = engine.events
        generation += 1
        absorb()
        if engine.rejectedCount > before, let r = events.last(where: { $0.kind == .inputRejected }) {
            say("\(what) rejected: \(r.reason ?? "")", error: true)
        } else {
            say("\(what) recorded")
        }
        return []
    }

    private mutating func move(_ delta: Int) {
        switch focus {
        case .incidents:
            let rows = list.rows
            guard !rows.isEmpty else { return }
            let current = selectedIncident.flatMap { list.index(of: $0) } ?? 0
            let target = min(rows.count - 1, max(0, current.addingReportingOverflow(delta).partialValue))
            selectedIncident = rows[target].id
            selectedPosition = target
            autoSelectedAt = nil
        case .roster:
            let n = engine.policy.roster.count
            rosterIndex = min(max(0, n - 1), max(0, rosterIndex.addingReportingOverflow(delta).partialValue))
        case .pending:
            pendingScroll = max(0, pendingScroll.addingReportingOverflow(delta).partialValue)
        case .ticker:
            // Scrolled back, the pane holds still (its lines as they were) until it follows again.
            if tickerScroll == 0 && delta < 0 { tickerHeld = tickerItems() }
            let lines = (tickerHeld ?? tickerItems()).count
            tickerScroll = min(max(0, lines - 1), max(0, tickerScroll.addingReportingOverflow(-delta).partialValue))
            if tickerScroll == 0 { tickerHeld = nil }
        }
    }

    /// The mouse: a press selects the incident or member under it (never acts:
    /// an action still needs its key, after a frame has shown the selection),
    /// focuses the pane under it, or sorts by the column head under it (again:
    /// reversed); the wheel scrolls the pane under it. In a window, only the
    /// help's wheel counts.
    private mutating func mouse(_ e: MouseEvent) {
        let step = e.kind == .wheelUp ? -3 : 3
        if let overlay {
            if case .help = overlay, e.kind != .press { scrollHelp(to: helpScroll + step) }
            return
        }
        guard let layout = BoardLayout(width: width, height: height) else { return }
        func inside(_ r: Rect) -> Bool { e.x >= r.x && e.x < r.x + r.width && e.y >= r.y && e.y < r.y + r.height }
        let pane: Pane? = inside(layout.incidents) || inside(layout.detail) ? .incidents : inside(layout.roster) ? .roster
            : inside(layout.pending) ? .pending : inside(layout.ticker) ? .ticker : nil
        guard let pane else { return }
        retireMessage()
        focus = pane
        if e.kind != .press {
            move(step)
            return
        }
        switch pane {
        case .incidents where inside(layout.incidents):
            let inner = layout.incidents.inner
            if e.y == inner.y {  // the column heads
                guard let mode = BoardRenderer.sortColumn(at: e.x - inner.x, innerWidth: inner.width, wide: layout.wide) else { return }
                if mode == sort { sortReversed.toggle() } else { sort = mode; sortReversed = false }
                saySort()
                return
            }
            let window = incidentsWindow(layout)
            let k = e.y - inner.y - 1
            guard k >= 0, k < window.count else { return }
            selectedIncident = list.rows[window.lowerBound + k].id
            selectedPosition = window.lowerBound + k
            autoSelectedAt = framesShown  // it moves under the pointer: act once it is drawn
        case .roster:
            let inner = layout.roster.inner
            let slots = BoardRenderer.rosterSlots(tiers: engine.policy.roster.map(\.tier), selected: rosterIndex, height: inner.height)
            let k = e.y - inner.y
            guard k >= 0, k < slots.count, case .member(let i) = slots[k] else { return }
            rosterIndex = i
        default:
            break
        }
    }

    /// Scrolls the help to `line`, kept within what the screen can show of it.
    private mutating func scrollHelp(to line: Int) {
        helpScroll = Swift.min(Swift.max(0, line), BoardView.helpWindow(width: width, height: height).maxScroll)
    }

    private mutating func saySort() {
        say("sorted by \(sort.rawValue)\(sortReversed ? ", reversed" : "")")
    }

    static func speedText(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }
}
