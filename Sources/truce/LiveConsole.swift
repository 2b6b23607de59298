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

    @Option(help: ArgumentHelp("Theme name or path (also TRUCE_THEME).", valueName: "theme"))
    var theme: String?

    @Option(help: ArgumentHelp("Name recorded on operator actions (default: $USER).", valueName: "name"))
    var by: String?

    @Option(name: .customLong("feed"), help: ArgumentHelp(
        "Follow a growing JSON Lines file like tail -F (repeatable); each line is read once, across restarts.",
        valueName: "file"))
    var feeds: [String] = []

    func run() throws {
        let chosen = try loadTheme(theme)
        let (j, policy) = try journal.openJournal()
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw fail("the console needs a terminal; for scripts use truce status, log, report and act")
        }
        let env = ProcessInfoLite.environment
        let operatorName = by ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator"
        // Load the journal once: old reminders are not worth replaying one by one,
        // so only the last hour's reach the ticker; replay enough records to fill it.
        let loaded: JournalState.Loaded
        do {
            loaded = try JournalState.load(j, policy: policy, quietRemindersBefore: wallClock() - 3600,
                                           keepEvents: Console.recentLimit, replayAtLeast: Int64(Console.recentLimit))
        } catch { throw fail(error.message) }
        var engine = loaded.engine
        var seq = loaded.seq
        let followers: [FeedFollower]
        do {
            followers = try feeds.map { FeedFollower(path: $0, resume: try j.feedPosition($0)) }
        } catch { throw fail("\(error)") }
        var (themes, skipped) = cycleThemes(chosen)
        if themes.isEmpty { themes = [chosen] }
        let log = try openLog(j, state: loaded)  // before the console's engine moves on
        engine.advance(through: wallClock() - 3600)
        engine.quietRemindersBefore = nil
        var console = Console(engine: engine, operatorName: operatorName, themes: themes, live: true)
        _ = console.advanceClock(to: wallClock())
        if let s = skipped.first { console.report("theme skipped: \(s)", isError: true) }

        let signal = RunLoop.run(&console, environment: env) { c in
            var changed = false
            var more = false
            /// Shows what the journal gained (ours and other processes'), in journal order.
            func pull() {
                do {
                    for r in try j.records(after: seq) {
                        c.ingest(r.line, number: Int(r.seq), receivedAt: r.receivedAt)
                        seq = r.seq
                        changed = true
                    }
                } catch {
                    c.report("journal: \(error)", isError: true)
                    changed = true
                }
            }
            for action in c.takeOutbox() {
                changed = true
                do {
                    switch try log.append(RecordJSON.line(.action(action)), source: "console", now: wallClock) {
                    case .accepted: c.report("\(action.action.rawValue) recorded on \(action.incident)", isError: false)
                    case .rejected(let reason): c.report("\(action.action.rawValue) rejected: \(reason)", isError: true)
                    case .skipped: break
                    }
                } catch {
                    c.report("journal: \(error)", isError: true)
                }
                pull()
            }
            for f in followers {
                do {
                    // A bounded share per wake, so a backlog never stops the keys.
                    more = try f.poll(limit: LiveConsole.feedLinesPerWake) { line, position in
                        changed = true
                        switch line {
                        case .text(let text, let number):
                            let outcome = try log.append(text, number: number, source: "feed:" + f.path, feed: position, now: wallClock)
                            pull()  // an accepted line shows before anything after it
                            if case .rejected(let reason) = outcome {
                                c.noteRejection("\(f.path):\(number): \(reason)", at: wallClock())
                            }
                        case .rejected(let reason, let number):
                            _ = try log.journal.transaction(feed: position) { () throws(JournalError) in [] }
                            c.noteRejection("\(f.path):\(number): \(reason)", at: wallClock())
                        }
                    } || more
                } catch {
                    c.report("feed \(f.path): \(error)", isError: true)
                    changed = true
                }
            }
            pull()
            if c.advanceClock(to: wallClock()) { changed = true }
            return RunLoop.LiveWake(changed: changed, more: more)
        }
        if signal != 0 { throw ExitCode(128 + signal) }
    }

    /// Feed lines handled per wake of the run loop (each is a durable append,
    /// well under a millisecond), before the board is redrawn and keys read.
    static let feedLinesPerWake = 200

    /// The validating appender, starting from the console's replayed engine.
    func openLog(_ journal: Journal, state: JournalState.Loaded) throws -> LiveLog {
        do { return try LiveLog(journal: journal, state: state) } catch { throw fail(error.message) }
    }
}
