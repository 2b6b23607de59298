import ArgumentParser
import TruceEngine
import TruceHeadless
import TruceConsole
import TruceTerminal

#if canImport(Glibc)
import Glibc
#endif

/// Loads the theme named by `--theme`, else `TRUCE_THEME`, else the built-in default.
func loadTheme(_ option: String?) throws -> Theme {
    let env = ProcessInfoLite.environment
    let name = option ?? env["TRUCE_THEME"] ?? "default"
    switch themeCatalog().load(name) {
    case .success(let t): return t
    case .failure(let e): throw fail(e.description)
    }
}

func themeCatalog() -> ThemeCatalog {
    ThemeCatalog.standard(executablePath: ProcessInfoLite.executablePath, environment: ProcessInfoLite.environment)
}

/// The bits of the process environment the CLI needs, without Foundation.
enum ProcessInfoLite {
    static var environment: [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    static var executablePath: String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        return n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }
}

/// Shell completion for --theme: the bundled names (themes of your own are paths or these names).
let themeCompletion = CompletionKind.list(BundledThemes.files.map(\.name))

/// `truce themes`: every theme that `--theme` can name, where it comes from,
/// and a preview line in its own colours (plain words when the output is not
/// a terminal, or NO_COLOR is set).
struct Themes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the themes --theme can name, with a preview of each.",
        discussion: """
            Bundled themes are compiled in; a file of the same name in ./themes, \
            $XDG_CONFIG_HOME/truce/themes (~/.config/truce/themes) or share/truce/themes beside the \
            binary overrides one. default.theme documents the format.
            """)

    func run() throws {
        let env = ProcessInfoLite.environment
        let colour = isatty(1) == 1 && (env["NO_COLOR"] ?? "").isEmpty
        let catalog = themeCatalog()
        let out = OutputSink.stdout()
        var failed = false
        for name in catalog.available() {
            let label = TextWidth.padRight(Sanitizer.clean(name), 14)
            switch catalog.load(name) {
            case .success(let theme):
                out.line(label + Themes.preview(theme, colour: colour) + "  " + Sanitizer.clean(catalog.origin(of: name)))
            case .failure(let e):
                failed = true
                out.line(label + "cannot be read: " + Sanitizer.clean(e.description))
            }
        }
        out.flush()
        if failed { throw ExitCode(Runner.rejected) }
    }

    /// The board's attention roles, each in its style.
    static func preview(_ theme: Theme, colour: Bool) -> String {
        let samples: [(String, Role)] = [(" T1 ", .tier1), (" T2 ", .tier2), (" T3 ", .tier3), ("OVERDUE", .overdue),
                                         ("UNACK", .unacked), ("due soon", .dueSoon), ("ack", .acked), (" header ", .header),
                                         (" 2 ", .headerAlert)]
        guard colour else { return samples.map { trimmed($0.0) }.joined(separator: " ") }
        return samples.map { Themes.sgr(theme.style($0.1)) + $0.0 + "\u{1B}[0m" }.joined(separator: " ")
    }

    /// The SGR sequence for a style (as a true-colour terminal would show it).
    static func sgr(_ s: Style) -> String {
        var codes: [String] = ["0"]
        if s.bold { codes.append("1") }
        if s.dim { codes.append("2") }
        if s.underline { codes.append("4") }
        if s.reverse { codes.append("7") }
        func colour(_ c: ThemeColor, fg: Bool) {
            switch c {
            case .terminalDefault: break
            case .ansi(let n): codes.append(String((fg ? 30 : 40) + (n < 8 ? n : 60 + n - 8)))
            case .indexed(let n): codes.append("\(fg ? 38 : 48);5;\(n)")
            case .rgb(let r, let g, let b): codes.append("\(fg ? 38 : 48);2;\(r);\(g);\(b)")
            }
        }
        colour(s.fg, fg: true)
        colour(s.bg, fg: false)
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
