import Foundation
import Testing
import TruceConsole
import TruceTerminal
import TruceTestSupport

/// The repository's themes/ folder.
let themesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("themes").path

@Suite("Themes")
struct ThemeTests {
    @Test func bundledThemesLoadAndCoverEveryRole() throws {
        let catalog = ThemeCatalog(searchPaths: [themesDir])
        #expect(Set(catalog.available()).isSuperset(of: ["default", "light", "high-contrast", "monochrome"]))
        for name in ["default", "light", "high-contrast", "monochrome"] {
            let theme = try catalog.load(name).get()
            #expect(theme.name == name)
        }
        // default.theme documents the built-in default exactly.
        let file = try catalog.load("\(themesDir)/default.theme").get()
        #expect(file.styles == Theme.builtIn.styles)
        let text = try String(contentsOfFile: "\(themesDir)/default.theme", encoding: .utf8)
        for role in Role.allCases { #expect(text.contains("\n\(role.rawValue) "), "default.theme lacks \(role.rawValue)") }
    }

    @Test func monochromeUsesNoColour() throws {
        let t = try ThemeCatalog(searchPaths: [themesDir]).load("monochrome").get()
        for role in Role.allCases {
            #expect(t.style(role).fg == .terminalDefault && t.style(role).bg == .terminalDefault)
        }
    }

    @Test func crlfAndAByteOrderMarkAreAccepted() throws {
        let t = try ThemeFile.parse("\u{FEFF}# dark\r\ntier1 = \"bold\"\r\nselection = \"reverse\"\r\n", file: "t.theme").get()
        #expect(t.style(.tier1) == Style(bold: true))
        #expect(t.style(.selection).reverse)
    }

    @Test func missingKeysKeepDefaults() throws {
        let t = try ThemeFile.parse("tier3 = \"bold #ff0000 on 17\"\n", file: "t.theme").get()
        #expect(t.style(.tier3) == Style(fg: .rgb(255, 0, 0), bg: .indexed(17), bold: true))
        #expect(t.style(.tier1) == Theme.builtIn.style(.tier1))
    }

    @Test(arguments: [
        ("tier4 = \"red\"", "t.theme:1: unknown role \"tier4\""),
        ("tier1 = red", "t.theme:1: tier1: the value must be a quoted string"),
        ("tier1 = \"crimson\"", "t.theme:1: tier1: unknown colour or attribute \"crimson\""),
        ("tier1 = \"red blue\"", "t.theme:1: tier1: two foreground colours (use \"on\" before a background)"),
        ("tier1 = \"red on\"", "t.theme:1: tier1: \"on\" needs a background colour"),
        ("tier1 = \"#12345\"", "t.theme:1: tier1: unknown colour or attribute \"#12345\""),
        ("tier1 = \"256\"", "t.theme:1: tier1: unknown colour or attribute \"256\""),
        ("\n\ntier1 = \"red\"\ntier1 = \"blue\"", "t.theme:4: tier1: duplicate key"),
        ("just words", "t.theme:1: expected `role = \"style\"`"),
    ])
    func badThemesNameFileAndLine(text: String, prefix: String) {
        switch ThemeFile.parse(text, file: "t.theme") {
        case .success: Issue.record("accepted \(text)")
        case .failure(let e): #expect(e.description.hasPrefix(prefix), "\(e.description)")
        }
    }

    @Test func unknownNameListsWhatExists() {
        let r = ThemeCatalog(searchPaths: [themesDir]).load("nope")
        guard case .failure(let e) = r else { Issue.record("found nope"); return }
        #expect(e.description.contains("no such theme"))
        #expect(e.description.contains("high-contrast"))
    }

    /// A theme file that is there but cannot be a theme says why, instead of "no such theme".
    @Test func aFileThatCannotBeAThemeSaysWhy() throws {
        let dir = Scratch.directory + "truce-themes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/folder.theme", withIntermediateDirectories: true)
        try Data(repeating: 0x23, count: (1 << 20) + 1).write(to: URL(fileURLWithPath: dir + "/huge.theme"))
        try Data([0x23, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: dir + "/latin1.theme"))
        let catalog = ThemeCatalog(searchPaths: [dir])
        for (name, why) in [("huge", "huge.theme: too large for a theme file (over 1 MiB)"),
                            ("latin1", "latin1.theme: not valid UTF-8"),
                            ("folder", "folder.theme: Is a directory")] {
            guard case .failure(let e) = catalog.load(name) else { Issue.record("\(name) loaded"); continue }
            #expect(e.description.hasSuffix(why), "\(e.description)")
        }
    }
}
