import TruceEngine

/// Review mode: the board as it stood at a past instant. The past is a
/// replay away (the engine is deterministic): the reviewed board is a
/// console built on the engine at that instant, exactly as `truce snapshot
/// --at` builds one, with the live board's selection, focus, sort, filter
/// and theme carried over. The live board goes on underneath (records keep
/// arriving; the header counts them); nothing is recorded in the past.
extension Console {
    /// The reviewed instant and the board at it.
    public struct Review: Sendable {
        public var at: Instant
        /// How many records the live board had taken when the review began
        /// (the header counts those that arrived since).
        var recordsAtStart: Int
        fileprivate var past: Past

        /// The reviewed board (a console of its own: an indirect case, as a
        /// console cannot hold a console directly).
        public var board: Console {
            get { switch past { case .board(let c): return c } }
            set { past = .board(newValue) }
        }
    }

    fileprivate indirect enum Past: Sendable {
        case board(Console)
    }

    /// Records the live board has taken (accepted or not).
    private var recordsTaken: Int { engine.acceptedCount + engine.rejectedCount }

    /// A review key (`[ ] { } @`), reviewing or not.
    mutating func reviewKey(_ command: Command) -> [Effect] {
        // The board on screen says what is selected: the reviewed one while reviewing.
        let shown = review?.board ?? self
        let incident = shown.focus == .incidents ? shown.selectedIncident : nil
        let reviewing = review != nil || pendingReview != nil || reviewAsked
        switch command {
        case .reviewBack: return step(.event(forward: false, incident: incident))
        case .reviewForward:
            guard reviewing else {
                say("] steps forward in the past; the board is at now ([ or { to go back)", error: true)
                return []
            }
            return step(.event(forward: true, incident: incident))
        case .reviewHourBack: return step(.by(seconds: -3600))
        case .reviewHourForward:
            guard reviewing else {
                say("} steps forward in the past; the board is at now ({ goes back an hour)", error: true)
                return []
            }
            return step(.by(seconds: 3600))
        case .reviewAt:
            let effects = flushReview()
            overlay = .prompt(.reviewTime, text: "", cursor: 0)
            return effects
        default: return []
        }
    }

    /// Whether a key is a review step (`[ ] { }`), which waits for the end of its burst.
    static func isReviewStep(_ key: Key) -> Bool {
        switch KeyMap.command(for: key) {
        case .reviewBack?, .reviewForward?, .reviewHourBack?, .reviewHourForward?: return true
        default: return false
        }
    }

    /// Adds a step to those typed in this burst: steps of one kind add up
    /// (`{{{` is three hours, `[[[` the third event back); another kind asks for those first.
    private mutating func step(_ r: ReviewRequest) -> [Effect] {
        switch (pendingReview, r) {
        case (nil, _):
            pendingReview = r
            return []
        case (.by(let a)?, .by(let b)) where (a < 0) == (b < 0):
            pendingReview = .by(seconds: a + b)
            return []
        case (.event(let f, let i, let n)?, .event(let g, let j, let m)) where f == g && i == j:
            pendingReview = .event(forward: f, incident: i, count: n + m)
            return []
        default:
            let effects = flushReview()
            pendingReview = r
            return effects
        }
    }

    /// Asks for the steps typed in this burst (at the tick before the next frame, or before another key).
    mutating func flushReview() -> [Effect] {
        guard let r = pendingReview else { return [] }
        pendingReview = nil
        return ask(r)
    }

    /// `@`'s answer: an RFC 3339 time, or a duration before now (`-2h`).
    mutating func reviewTime(_ text: String) -> [Effect] {
        let t = trimmed(text)
        let at = t.hasPrefix("-") ? DurationText.parse(String(t.dropFirst())).map { now - $0 } : RFC3339.parse(t)
        switch at {
        case .success(let at): return ask(.at(at))
        case .failure(let e):
            say("@ \(t): \(e.message) (a time like 2026-02-15T03:40:00Z, or -2h)", error: true)
            return []
        }
    }

    /// The `@` prompt's words.
    static let reviewPromptLabel = " Review at (2026-02-15T03:40:00Z, -2h): "

    /// Asks for the board at another instant: the journal's past is read by
    /// the session (an effect); a demo plays its own inputs again.
    private mutating func ask(_ request: ReviewRequest) -> [Effect] {
        let query = ReviewQuery(request: request, from: review?.at ?? now, now: now)
        if live {
            reviewAsked = true
            say(Console.readingPast)  // on screen while the session reads (the run loop draws it first)
            return [.review(query)]
        }
        guard let d = demo else { return [] }
        if demoTape?.actions.count != demoActions.count {
            demoTape = DemoTape(lines: d.lines, actions: demoActions, policy: engine.policy)
        }
        let answer = demoTape!.answer(query)
        showReview(answer)
        return []
    }

    /// What the message line says while the journal's past is read.
    static let readingPast = "reading the journal's past…"

    /// Shows a review answer: the board at its instant, or now again.
    mutating func showReview(_ answer: ReviewAnswer) {
        if message?.text == Console.readingPast { message = nil }
        switch answer {
        case .refused(let why):
            say(why, error: true)
        case .live:
            if review != nil { leaveReview() } else { say("that is now: the board is live", error: false) }
        case .state(let past):
            var board = Console(engine: past.engine, operatorName: operatorName, themes: themes)
            board.carryView(from: self)
            let first = review == nil
            review = Review(at: past.at, recordsAtStart: review?.recordsAtStart ?? recordsTaken, past: .board(board))
            if first { say("reviewing the past: nothing can be recorded here; Esc returns to now") }
        }
    }

    /// Back to the live board, keeping what the operator chose while reviewing.
    mutating func leaveReview() {
        guard let r = review else { return }
        review = nil
        let board = r.board
        adoptView(of: board)
        if let id = board.selectedIncident, engine.incident(id: id) != nil { selectedIncident = id }
        settle()
        say("back to now")
    }

    /// How another board is looked at: its focus, sort, filter, roster line, theme and time zone.
    private mutating func adoptView(of other: Console) {
        focus = other.focus
        sort = other.sort
        sortReversed = other.sortReversed
        filter = other.filter
        rosterIndex = other.rosterIndex
        themeIndex = other.themeIndex
        localTime = other.localTime
    }

    /// Takes the view settings (selection, focus, sort, filter, theme) of the
    /// board on screen: the live one, or the reviewed one when stepping on.
    private mutating func carryView(from live: Console) {
        let shown = live.review?.board ?? live
        adoptView(of: shown)
        width = live.width
        height = live.height
        selectedIncident = shown.selectedIncident
        settle()
        message = nil
    }

    /// A key while reviewing: review keys move in time; Esc returns to now;
    /// keys that look (move, panes, sort, filter, help, detail, theme) work
    /// on the reviewed board; keys that would record something are refused.
    mutating func handleReviewing(_ key: Key) -> [Effect] {
        guard var r = review else { return [] }
        let command = KeyMap.command(for: key)
        var board = r.board
        if board.overlay == nil {
            switch command {
            case .quit?: return [.quit]
            case .redraw?: return [.repaint]
            case .escape?:
                pendingReview = nil
                leaveReview()
                return []
            case .reviewBack?, .reviewForward?, .reviewHourBack?, .reviewHourForward?, .reviewAt?:
                retireMessage()
                return reviewKey(command!)
            case .ack?, .warning?, .response?, .escalate?, .resolve?, .note?, .commit?, .decline?:
                say("nothing recorded: this is the board at \(TimeText(local: localTime).dateTime(r.at)), in the past; Esc returns to now",
                    error: true)
                return []
            case .pause?, .faster?, .slower?, .step?, .bell?:
                // The demo and the bell are the live board's: they go on underneath.
                return handleLive(key)
            default: break
            }
        }
        retireMessage()
        _ = board.update(.key(key))
        // The live board's message line speaks for both.
        if let m = board.message {
            say(m.text, error: m.isError)
            board.message = nil
        }
        themeIndex = board.themeIndex
        r.board = board
        review = r
        return []
    }

    /// A key for the live board underneath (demo controls, the bell), while reviewing.
    private mutating func handleLive(_ key: Key) -> [Effect] {
        let r = review
        review = nil
        let effects = update(.key(key))
        review = r
        return effects
    }

    /// The header's review words, longest first.
    func reviewText(_ r: Review, _ times: TimeText) -> [String] {
        let ahead = max(0, now - r.at)
        let arrived = recordsTaken - r.recordsAtStart
        let at = times.dateTime(r.at)
        let lead = "REVIEW " + at
        // To the minute once it is a minute or more: the seconds only flicker.
        let gap = DurationText.format(ahead >= 60 ? ahead / 60 * 60 : ahead)
        let live = "live is +" + gap + " ahead"
        let new = arrived > 0 ? " · \(arrived) new record\(arrived == 1 ? "" : "s")" : ""
        let time = String(at.split(separator: " ").last ?? "")
        return [lead + " · " + live + new, lead + " · " + live, lead + " · +" + gap, "REVIEW " + time]
    }

    /// The reviewed board's view, with the header saying so and the live
    /// board's message line and `@` prompt.
    func reviewView(_ r: Review, width w: Int, height h: Int) -> BoardView {
        var v = r.board.view(width: w, height: h)
        v.header.review = reviewText(r, TimeText(local: localTime))
        v.header.source = source
        v.header.feeds = feeds
        v.header.upstream = upstreamText(TimeText(local: localTime))
        v.header.isOffline = offlineSince != nil
        v.message = message
        v.hints = [(key: "Esc", text: "now"), (key: "[ ]", text: "event"), (key: "{ }", text: "hour"), (key: "@", text: "time")]
            + v.hints.filter { h in ["q", "?", "/", "Tab"].contains(h.key) }
        if case .prompt(let kind, let text, let cursor)? = overlay, kind == .reviewTime {
            v.overlay = .prompt(label: Console.reviewPromptLabel, text: text, cursor: cursor)
        }
        return v
    }
}
