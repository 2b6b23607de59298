import ArgumentParser
import TruceConsole
import TruceEngine
import TruceHeadless
import TruceStore
import TruceTerminal

#if canImport(Glibc)
import Glibc
#endif

/// `truce` (or `truce console`): the console on the wall clock, on the journal.
struct LiveConsole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The live console on the wall clock, backed by the journal (the default command).",
        discussion: """
            Operator keys are journaled before the board shows them; records appended by other \
            processes (truce report, truce act, truce ingest) appear within a second. Press ? for keys.
            """)

    @OptionGroup var journal: JournalOptions

    @Option(help: ArgumentHelp("Theme name or path (also TRUCE_THEME).", valueName: "theme"), completion: themeCompletion)
    var theme: String?

    @Option(help: ArgumentHelp("Name recorded on operator actions (default: $USER).", valueName: "name"))
    var by: String?

    @Flag(help: "Ring the terminal's bell on every new alert (b toggles it while running).")
    var bell = false

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (no clicks or wheel on the board).")
    var noMouse = false

    @Option(name: .customLong("feed"), parsing: .singleValue, help: ArgumentHelp(
        "Follow a growing JSON Lines file like tail -F (repeatable); each line is read once, across restarts.",
        valueName: "file"), completion: .file())
    var feeds: [String] = []

    func run() throws {
        let chosen = try loadTheme(theme)
        let sharedURL = try journal.sharedURL()
        // During an outage the console starts on this site's mirror, OFFLINE, and the follower keeps trying.
        let shared = try sharedURL.map { try journal.openSharedOrMirror($0) }
        let journalFile: Journal
        let rules: Policy
        if let shared {
            journalFile = shared.mirror
            rules = try journal.policy.load()
        } else {
            (journalFile, rules) = try journal.openJournal(.write)
        }
        try requireBoardTerminal(else: "the console needs a terminal; for scripts use truce status, log, report and act")
        let env = ProcessInfoLite.environment
        let operatorName = by ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator"
        var (themes, skipped) = cycleThemes(chosen)
        if themes.isEmpty { themes = [chosen] }
        var console: Console
        let session: LiveSession
        let source = shared.map { "LIVE · site \($0.site) · shared \(SharedJournal.place($0.shown))" }
            ?? "LIVE · journal " + homeShortened(directory(of: journalFile.path))
        let site = try journal.siteName()
        var follower: SharedFollower?
        var store: RecordStore?
        if let shared, let url = sharedURL {
            let f = SharedFollower.start(url: url, site: shared.site, dataDirectory: journal.dataDirectory, push: rules,
                                         problem: shared.unreachable, now: wallClock)
            follower = f
            // Actions go to the site's outbox (local and durable, so a key never
            // waits on the network); the follower thread pushes them, judged at
            // the shared head, and they show as provisional until they are back.
            store = Outbox(mirror: shared.mirror, site: shared.site)
        }
        do {
            (console, session) = try LiveSession.start(journal: journalFile, policy: rules, feeds: feeds, operatorName: operatorName,
                                                        themes: themes, source: source, bell: bell, store: store,
                                                        site: site, now: wallClock)
        } catch { throw fail(error.message) }
        if let follower {
            session.upstreamProblem = { follower.problem }
            session.upstreamConflicts = { follower.takeConflicts() }
            session.upstreamWake = { follower.wake() }
            console.pollInterval = 0.1  // another site's record is on the board within ~100 ms of reaching the mirror
        }
        let terminal = CursesTerminal(theme: console.theme, environment: env, mouse: !noMouse)
        defer { terminal.shutdown() }
        if let s = skipped.first { _ = console.update(.notice("theme skipped: \(s)", error: true)) }
        let signal = RunLoop.run(&console, terminal: terminal, clock: SystemClock(), session: session)
        terminal.shutdown()
        if signal != 0 { throw ExitCode(128 + signal) }
    }
}

/// Standard input and output are a terminal that can hold the board (before
/// any slow start-up work): `notATerminal` when they are not one, or why
/// this TERM cannot.
func requireBoardTerminal(else notATerminal: String) throws {
    guard isatty(0) == 1, isatty(1) == 1 else { throw fail(notATerminal) }
    if let why = CursesTerminal.unusable(environment: ProcessInfoLite.environment) { throw fail(Sanitizer.clean(why)) }
}

/// The directory part of a path (`.` for a bare name).
func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// `~/…` for a path under $HOME, as people write it.
func homeShortened(_ path: String) -> String {
    guard let home = ProcessInfoLite.environment["HOME"], home.count > 1, path.hasPrefix(home + "/") || path == home else {
        return path
    }
    return "~" + path.dropFirst(home.count)
}
