import ArgumentParser
import TruceConsole
import TruceEngine
import TruceHeadless
import TruceTerminal

#if canImport(Glibc)
import Glibc
#endif

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scripted walkthrough on the console at accelerated time.",
        discussion: """
            NAME is a bundled walkthrough (see --list); FILE is any scenario. Space pauses, + and - \
            change speed, . steps to the next record; every operator key works during a demo. \
            Press ? on the board for all keys.
            """)

    @Argument(help: ArgumentHelp("Bundled walkthrough name, or a scenario file.", valueName: "name|file"),
              completion: .list(Walkthrough.all.map(\.name)))
    var walkthrough: String?

    @Option(help: "Simulated seconds per real second (default: the scenario's speed).")
    var speed: Double?

    @Flag(help: "Start paused.")
    var paused = false

    @Flag(help: "List the bundled walkthroughs.")
    var list = false

    @Flag(name: .customLong("print"), help: "Print the walkthrough's records instead of running it.")
    var printRecords = false

    @Option(help: ArgumentHelp("Theme name or path (also TRUCE_THEME).", valueName: "theme"), completion: themeCompletion)
    var theme: String?

    @Option(help: ArgumentHelp("Name recorded on operator actions (default: $USER).", valueName: "name"))
    var by: String?

    @Flag(help: "Ring the terminal's bell on every new alert (b toggles it while running).")
    var bell = false

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (no clicks or wheel on the board).")
    var noMouse = false

    @OptionGroup var policy: PolicyOption

    func validate() throws {
        if let speed, !(speed > 0 && speed.isFinite) { throw ValidationError("--speed must be greater than 0") }
    }

    func run() throws {
        let out = OutputSink.stdout()
        if list {
            for w in Walkthrough.all {
                out.line(TextWidth.padRight(w.name, 11) + w.summary + (w.name == Walkthrough.defaultName ? " (default)" : ""))
            }
            out.flush()
            return
        }
        let name = walkthrough ?? Walkthrough.defaultName
        let text: String
        if let w = Walkthrough.named(name) {
            text = w.text
        } else if name.contains("/") || name.contains(".") {
            do { text = try readWholeFile(name) } catch { throw fail(error.message) }
        } else {
            throw fail("no walkthrough named \"\(name)\" (bundled: \(Walkthrough.all.map(\.name).joined(separator: ", ")); or give a scenario file)")
        }
        if printRecords {
            out.line(text)
            out.flush()
            return
        }
        let policy = try self.policy.load()
        let chosen = try loadTheme(theme)
        try requireBoardTerminal(else: "truce demo needs a terminal; for scripts use truce replay or truce snapshot")
        let env = ProcessInfoLite.environment
        let operatorName = by ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator"
        var (themes, skipped) = cycleThemes(chosen)
        if themes.isEmpty { themes = [chosen] }
        let shown = Walkthrough.named(name) != nil ? name : String(name.split(separator: "/").last ?? Substring(name))
        var console = Console(engine: Engine(policy: policy), demo: DemoClock(text: text, speed: speed, paused: paused),
                              operatorName: operatorName, themes: themes, source: "DEMO " + Sanitizer.clean(shown), bell: bell)
        let terminal = CursesTerminal(theme: console.theme, environment: env, mouse: !noMouse)
        defer { terminal.shutdown() }
        if let s = skipped.first { _ = console.update(.notice("theme skipped: \(s)", error: true)) }
        let signal = RunLoop.run(&console, terminal: terminal, clock: SystemClock())
        terminal.shutdown()
        if signal != 0 { throw ExitCode(128 + signal) }
    }
}

/// The chosen theme first, then every other theme found, for `t` to cycle
/// through. Broken files other than the chosen one are left out and named.
func cycleThemes(_ chosen: Theme) -> ([Theme], [String]) {
    var themes = [chosen]
    var skipped: [String] = []
    let catalog = themeCatalog()
    for name in catalog.available() {
        switch catalog.load(name) {
        case .success(let t): if !themes.contains(where: { $0.name == t.name }) { themes.append(t) }
        case .failure(let e): skipped.append(e.description)
        }
    }
    return (themes, skipped)
}
