import Foundation
import Testing
import TruceConsole
import TruceTerminal
import TruceTestSupport

/// The themes compiled into the binary are the files in themes/, byte for
/// byte; `--theme NAME` finds them with nothing on disk, and a file of the
/// same name overrides one.
@Suite("Bundled themes")
struct BundledThemesTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/TruceConsole/Theme/BundledThemes.swift").path

    /// BundledThemes.swift as it must be for the files in themes/.
    static func generated() throws -> String {
        var out = [
            "// Generated from themes/*.theme: BundledThemesTests keeps the two equal, and",
            "// `TRUCE_UPDATE_GOLDEN=1 swift test --filter BundledThemes` rewrites this file.",
            "",
            "/// The bundled themes, compiled in: `--theme light` works from any directory",
            "/// and with nothing installed beside the binary. Files found on disk with the",
            "/// same name (in `$XDG_CONFIG_HOME/truce/themes`, say) override them.",
            "public enum BundledThemes {",
            "    public static let files: [(name: String, text: String)] = [",
        ]
        for name in ["default", "light", "high-contrast", "monochrome"] {
            var text = try String(contentsOfFile: "\(themesDir)/\(name).theme", encoding: .utf8)
            while text.hasSuffix("\n") { text.removeLast() }
            out += ["        (\"\(name)\", #\"\"\"", text, "\"\"\"#),"]
        }
        out += ["    ]", "}"]
        return out.joined(separator: "\n") + "\n"
    }

    @Test func theCompiledThemesAreTheFiles() throws {
        let want = try BundledThemesTests.generated()
        if ProcessInfo.processInfo.environment["TRUCE_UPDATE_GOLDEN"] == "1" {
            try want.write(toFile: BundledThemesTests.source, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOfFile: BundledThemesTests.source, encoding: .utf8) == want,
                "themes/ changed: TRUCE_UPDATE_GOLDEN=1 swift test --filter BundledThemes")
        for (name, text) in BundledThemes.files {
            var file = try String(contentsOfFile: "\(themesDir)/\(name).theme", encoding: .utf8)
            while file.hasSuffix("\n") { file.removeLast() }
            #expect(text == file, "\(name)")
        }
    }

    @Test func namesLoadWithNothingOnDiskAndFilesOverrideThem() throws {
        let nothing = ThemeCatalog(searchPaths: [])
        #expect(nothing.available() == ["default", "light", "high-contrast", "monochrome"])
        for name in nothing.available() {
            let t = try nothing.load(name).get()
            #expect(t.name == name)
            #expect(nothing.origin(of: name) == "built in")
        }
        #expect(try nothing.load("default").get() == Theme.builtIn)
        let dir = Scratch.directory + "truce-themes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "name = \"mine\"\ntier1 = \"bold red\"\n".write(toFile: dir + "/light.theme", atomically: true, encoding: .utf8)
        let mine = ThemeCatalog(searchPaths: [dir])
        #expect(try mine.load("light").get().name == "mine")
        #expect(mine.origin(of: "light") == dir + "/light.theme")
        #expect(try mine.load("monochrome").get().name == "monochrome")
        guard case .failure(let e) = nothing.load("nosuch") else { Issue.record("found"); return }
        #expect(e.description.contains("no such theme") && e.description.contains("light"))
    }
}
