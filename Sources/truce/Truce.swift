import ArgumentParser
import TruceEngine
import TruceHeadless

#if canImport(Glibc)
import Glibc
#endif

@main
struct Truce: ParsableCommand {
    static let version = "0.7.0"

    static let configuration = CommandConfiguration(
        commandName: "truce",
        abstract: "Ceasefire-enforcement monitoring: incidents, tier clocks, coalition roster.",
        discussion: """
            Every confirmed ceasefire breach becomes an incident that climbs three tiers on fixed \
            clocks: tier 1 (diplomatic warning and Ukrainian response, within 24 h), tier 2 (the \
            coalition of the willing, on continued violations), tier 3 (a Western-backed force with \
            US assets, 72 h after the initial breach if the attack persists).

            Records are JSON Lines (see README). Exit status: 0 all records accepted, 1 some record \
            was rejected (after printing everything), 2 the command could not run.
            """,
        version: "truce \(Truce.version)",
        subcommands: [LiveConsole.self, Demo.self, Snapshot.self, Report.self, Act.self, Ingest.self, Status.self, Log.self, Export.self,
                      Replay.self, State.self, Validate.self, Generate.self, Themes.self, JournalCommand.self, AfterActionCommand.self],
        defaultSubcommand: LiveConsole.self
    )

    /// Like ArgumentParser's own `main`, but a usage error exits 2 (as every
    /// truce error does, and the README says), and every message is escaped
    /// like all other output: an option typed with an escape sequence in it
    /// must not reach the terminal raw.
    static func main() {
        let code: Int32
        do {
            var command = try parseAsRoot()
            try command.run()
            code = 0
        } catch {
            let exit = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                let out = exit == .success ? OutputSink.stdout() : OutputSink.stderr()
                for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
                    out.line(Sanitizer.clean(String(line)))
                }
                out.flush()
            }
            code = exit == .validationFailure ? Runner.failure : exit.rawValue
        }
        Glibc.exit(code)
    }
}

/// Options shared by the commands that run the engine.
struct PolicyOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Policy and roster file (TOML); built-in defaults when absent.", valueName: "file"),
            completion: .file(extensions: ["toml"]))
    var policy: String?

    func load() throws -> Policy {
        guard let path = policy else { return .standard }
        let text: String
        do {
            text = try readWholeFile(path)
        } catch {
            throw fail(error.message)  // already names the file
        }
        switch PolicyFile.parse(text, file: path) {
        case .success(let p): return p
        case .failure(let e): throw fail(e.description)
        }
    }
}

/// Keeps a command's state (an engine of a million reports) alive until the
/// process exits: the command ends right after, and freeing it object by
/// object first cost a `truce act` on a big journal a tenth of its time.
/// Only plain state: never anything that must be closed (a journal's
/// connection checkpoints its WAL when it closes).
func keepUntilExit<T>(_ value: T) {
    _ = Unmanaged.passRetained(HeldUntilExit(value))
}

private final class HeldUntilExit<V> {
    let value: V
    init(_ value: V) { self.value = value }
}

/// Prints an error the way every truce command does and exits with status 2.
func fail(_ message: String) -> ExitCode {
    let err = OutputSink.stderr()
    err.line("truce: " + Sanitizer.clean(message))
    err.flush()
    return ExitCode(Runner.failure)
}

func parseTime(_ text: String, option: String) throws -> TimeSpec {
    switch TimeSpec.parse(text) {
    case .success(let t): return t
    case .failure(let e): throw fail("\(option) \(text): \(e.message)")
    }
}

/// Reads a whole text file (policy files, demo scenarios). A line too long to
/// hold is an error naming the file and line, never silently left out.
func readWholeFile(_ path: String) throws(HeadlessError) -> String {
    let reader = try LineReader(path: path)
    var lines: [String] = []
    var problem: String?
    try reader.forEachLine { line, number in
        switch line {
        case .bytes(let b):
            // Never read with a bad byte replaced: the file is refused, saying where
            // (a comment's bytes are read by nobody, as a replay ignores them).
            if let reason = RecordDecoder.utf8Rejection(b) {
                problem = "\(number): \(reason)"
                return false
            }
            lines.append(String(decoding: b, as: UTF8.self))
        case .tooLong(let n):
            problem = "\(number): line is too long (\(n) bytes; the limit is \(LineReader.defaultMaxLineBytes))"
            return false
        }
        return true
    }
    if let problem { throw HeadlessError("\(path):\(problem)") }
    return lines.joined(separator: "\n")
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the engine over a scenario on a simulated clock and print the timeline.",
        discussion: """
            Timers run until tier3_after past the last accepted record, or up to --until \
            (inclusive; reading stops at the first record after it). Use - to read standard input.
            """)

    @Argument(help: ArgumentHelp("Scenario file (JSON Lines), or - for standard input.", valueName: "file"), completion: .file())
    var file: String

    @Option(help: ArgumentHelp("Stop at this time: RFC 3339, or +duration from the scenario start.", valueName: "time"))
    var until: String?

    @OptionGroup var policy: PolicyOption

    @Flag(help: "One JSON object per event (the spec's event contract).")
    var json = false

    func run() throws {
        let feed = Runner.Feed(policy: try policy.load(), until: try until.map { try parseTime($0, option: "--until") })
        let status: Int32
        do {
            status = try Runner.replay(path: file, feed: feed, json: json, out: .stdout(), keep: keepUntilExit)
        } catch {
            throw fail(error.message)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct State: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the state after replaying a scenario up to and including a time.")

    @Argument(help: ArgumentHelp("Scenario file (JSON Lines), or - for standard input.", valueName: "file"), completion: .file())
    var file: String

    @Option(help: ArgumentHelp("The moment: RFC 3339, or +duration from the scenario start.", valueName: "time"))
    var at: String

    @OptionGroup var policy: PolicyOption

    @Flag(help: "The state as one JSON object.")
    var json = false

    func run() throws {
        let feed = Runner.Feed(policy: try policy.load(), until: try parseTime(at, option: "--at"))
        let status: Int32
        do {
            status = try Runner.state(path: file, feed: feed, json: json, out: .stdout(), keep: keepUntilExit)
        } catch {
            throw fail(error.message)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check records; print FILE:LINE: reason for each one replay would reject.")

    @Argument(help: ArgumentHelp("Scenario files (JSON Lines); - for standard input.", valueName: "file"), completion: .file())
    var files: [String]

    @OptionGroup var policy: PolicyOption

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one file") }
    }

    func run() throws {
        let status = Runner.validate(paths: files, policy: try policy.load(), out: .stdout(), err: .stderr(), keep: keepUntilExit)
        if status != 0 { throw ExitCode(status) }
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a valid synthetic scenario to standard output (same seed, same bytes).")

    @Option(help: "Number of records after the scenario header.")
    var records: Int = 1000

    @Option(help: "Number of sectors along the contact line.")
    var sectors: Int = 20

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func validate() throws {
        guard records >= 0 else { throw ValidationError("--records must be 0 or more") }
        guard sectors >= 1 else { throw ValidationError("--sectors must be at least 1") }
    }

    func run() throws {
        let out = OutputSink.stdout()
        ScenarioGenerator(records: records, sectors: sectors, seed: seed).generate { out.write($0) }
        out.flush()
    }
}
