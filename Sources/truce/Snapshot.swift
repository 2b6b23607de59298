import ArgumentParser
import TruceConsole
import TruceEngine
import TruceHeadless

struct Snapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the console screen at a moment as plain text (for briefings, docs and tests).")

    @Argument(help: ArgumentHelp("Scenario file (JSON Lines), or - for standard input.", valueName: "file"), completion: .file())
    var file: String

    @Option(help: ArgumentHelp("The moment: RFC 3339, or +duration from the scenario start.", valueName: "time"))
    var at: String

    @Option(help: ArgumentHelp("Screen size, columns x rows.", valueName: "WxH"))
    var size: String = "120x40"

    @Option(help: ArgumentHelp("Theme name or path (plain text ignores colours, but a bad theme is still an error).", valueName: "theme"),
            completion: themeCompletion)
    var theme: String?

    @OptionGroup var policy: PolicyOption

    func run() throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 1000, parts[1] <= 1000 else {
            throw fail("--size \(size): expected columns x rows, like 120x40")
        }
        let loadedTheme = try loadTheme(theme)
        let feed = Runner.Feed(policy: try policy.load(), until: try parseTime(at, option: "--at"))
        // Keep the replay's events queued so the ticker and detail show the
        // recent ones, as the live console would.
        var all: [Event] = []
        var engine: Engine
        do {
            engine = try Runner.run(path: file, feed: feed) { _, events in all += events }.engine
        } catch {
            throw fail(error.message)
        }
        let rejected = engine.rejectedCount
        engine.events = all
        let console = Console(engine: engine, operatorName: "snapshot", themes: [loadedTheme])
        var screen = Screen(width: parts[0], height: parts[1])
        BoardRenderer.render(console.view(width: parts[0], height: parts[1]), into: &screen)
        let out = OutputSink.stdout()
        out.line(screen.text)
        out.flush()
        if rejected > 0 { throw ExitCode(Runner.rejected) }
    }
}
