import ArgumentParser
import TruceConsole
import TruceEngine
import TruceHeadless
import TruceReport
import TruceStore

#if canImport(Glibc)
import Glibc
#endif

/// `truce after-action`: the report of what happened, as one HTML file.
struct AfterActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "after-action",
        abstract: "Write an after-action report: one self-contained HTML page with a timeline chart.",
        discussion: """
            From a scenario FILE, a bundled --walkthrough, or the journal (--data, --journal). The page \
            has the summary (incidents, highest tier, time to acknowledge and to the tier-1 step, \
            overdue steps, cohesion), an inline SVG timeline (a lane per incident, tier bands, the 24 h \
            and 72 h marks, a marker per report, acknowledgement, warning, response, commitment, decline, \
            escalation and resolution), each incident's audit trail (reminders folded) and the policy \
            and roster in force. No network, scripts or fonts: it prints to PDF as it is.
            """)

    @Argument(help: ArgumentHelp("Scenario file (JSON Lines); without it, the journal.", valueName: "file"), completion: .file())
    var file: String?

    @Option(help: ArgumentHelp("A bundled walkthrough instead of a file (\(Walkthrough.all.map(\.name).joined(separator: ", "))).",
                               valueName: "name"), completion: .list(Walkthrough.all.map(\.name)))
    var walkthrough: String?

    @OptionGroup var journal: JournalOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Start of the window: RFC 3339, +duration after the first record, or -duration before the end.",
                               valueName: "time"))
    var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("End of the window (default: the end of the timeline; now, for a journal).",
                                                        valueName: "time"))
    var to: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the HTML page here (default: standard output).",
                                                                     valueName: "file"), completion: .file())
    var output: String?

    @Option(help: ArgumentHelp("Also write the timeline chart alone, as SVG.", valueName: "file"), completion: .file())
    var svg: String?

    @Flag(help: "Print the summary figures as one JSON object instead of the page.")
    var json = false

    func run() throws {
        if file != nil && walkthrough != nil { throw fail("give a scenario file or --walkthrough, not both") }
        if (file != nil || walkthrough != nil) && journal.journalURL != nil {
            throw fail("--journal reports on a journal; a scenario file or walkthrough is reported on its own")
        }
        var report: AfterAction
        var origin: Instant?  // what +DURATION counts from: the scenario's start, else the first incident
        let source: String
        if let name = walkthrough {
            guard let w = Walkthrough.named(name) else {
                throw fail("no walkthrough \(Sanitizer.clean(name)) (there are: \(Walkthrough.all.map(\.name).joined(separator: ", ")))")
            }
            let path = try temporaryCopy(w.text)
            defer { unlink(path) }
            (report, origin) = try replay(path)
            source = "walkthrough \(w.name)"
        } else if let file {
            (report, origin) = try replay(file)
            source = "scenario " + (file == "-" ? "<stdin>" : file)
        } else {
            var collector = AfterAction.Collector()
            let (j, policy) = try journal.openJournal(.read)
            let shared = try journal.sharedURL() != nil
            let engine: Engine
            do {
                engine = try LiveLog.timeline(j, policy: policy, until: wallClock(), origins: shared) { engine, events in
                    collector.add(events, engine: engine)
                }
            } catch { throw fail(error.message) }
            let last = (try? j.lastSeq()) ?? 0
            let place = shared ? "shared journal" : "journal " + homeShortened(directory(of: j.path))
            report = collector.finish(engine: engine, title: place)
            report.to = max(wallClock(), report.from + 60)  // a journal's report ends now
            source = place + (last > 0 ? ", records 1–\(Ingest.grouped(Int(last)))" : ", no records")
        }
        let start = origin ?? report.from, end = report.to
        let from = try self.from.map { try bound($0, option: "--from", start: start, end: end) } ?? start
        let to = try self.to.map { try bound($0, option: "--to", start: start, end: end) } ?? end
        guard from < to else { throw fail("--from \(TimelineText.time(from)) is not before --to \(TimelineText.time(to))") }
        if self.from != nil || self.to != nil { report = report.restricted(from: from, to: to) }

        if let svg { try write(AfterActionHTML.svg(report), to: svg) }
        if json {
            OutputSink.stdout().line(AfterActionHTML.json(report))
            return
        }
        let page = AfterActionHTML.page(report, source: source)
        if let output { try write(page, to: output) } else {
            let out = OutputSink.stdout()
            out.write(Array(page.utf8))
            out.flush()
        }
    }

    /// A scenario file's report, and what `+DURATION` counts from.
    private func replay(_ path: String) throws -> (AfterAction, Instant?) {
        let policy = try journal.policy.load()
        do {
            let (report, start, _) = try AfterAction.replaying(path: path, policy: policy)
            return (report, start)
        } catch { throw fail(error.message) }
    }

    /// A window bound: RFC 3339, `+DURATION` after the start, `-DURATION` before the end.
    private func bound(_ text: String, option: String, start: Instant, end: Instant) throws -> Instant {
        if text.hasPrefix("-") {
            switch DurationText.parse(String(text.dropFirst())) {
            case .success(let d): return end - d
            case .failure(let e): throw fail("\(option) \(Sanitizer.clean(text)): \(e.message)")
            }
        }
        switch try parseTime(text, option: option) {
        case .absolute(let t): return t
        case .relative(let d): return start + d
        }
    }

    /// Writes `text` to `path` whole (a temporary file renamed into place).
    private func write(_ text: String, to path: String) throws {
        let tmp = path + ".tmp"
        guard let f = fopen(tmp, "w") else { throw fail("\(Sanitizer.clean(path)): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let ok = fwrite(bytes, 1, bytes.count, f) == bytes.count && fflush(f) == 0
        let closed = fclose(f) == 0
        guard ok, closed, rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw fail("\(Sanitizer.clean(path)): \(why)")
        }
    }

    /// A walkthrough's text in a temporary file, for the headless runner.
    private func temporaryCopy(_ text: String) throws -> String {
        var template = Array("/tmp/truce-walkthrough-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw fail("a temporary file: \(String(cString: strerror(errno)))") }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let bytes = Array(text.utf8)
        let written = Glibc.write(fd, bytes, bytes.count)
        close(fd)
        guard written == bytes.count else {
            unlink(path)
            throw fail("a temporary file: \(String(cString: strerror(errno)))")
        }
        return path
    }
}
