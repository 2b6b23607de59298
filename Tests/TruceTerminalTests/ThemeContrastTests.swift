import Foundation
import Testing
import TruceConsole
import TruceTerminal

/// WCAG 2.1 contrast of every text role of every bundled theme: at least
/// 4.5:1 (AA for normal text), computed from the theme files as an xterm
/// would draw them: the standard 16-colour palette, the 256-colour cube,
/// bold turning the eight normal colours bright (xterm's default), reverse
/// swapping the two, and the terminal's own colours where a role leaves one
/// out (black and light grey under a dark theme, black on white under a
/// light one, told apart by the theme's `text` colour).
@Suite("Theme contrast")
struct ThemeContrastTests {
    typealias RGB = (r: Double, g: Double, b: Double)

    static let ansi: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgb(_ c: ThemeColor, bold: Bool, fallback: RGB) -> RGB {
        switch c {
        case .terminalDefault: return fallback
        case .ansi(let n): return ansi[bold && n < 8 ? n + 8 : n]
        case .indexed(let n):
            if n < 16 { return ansi[n] }
            if n >= 232 { let v = Double(8 + (n - 232) * 10); return (v, v, v) }
            let k = n - 16
            func level(_ x: Int) -> Double { x == 0 ? 0 : Double(55 + x * 40) }
            return (level(k / 36), level(k / 6 % 6), level(k % 6))
        case .rgb(let r, let g, let b): return (Double(r), Double(g), Double(b))
        }
    }

    static func luminance(_ c: RGB) -> Double {
        func channel(_ v: Double) -> Double {
            let s = v / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }

    static func contrast(_ a: RGB, _ b: RGB) -> Double {
        let (la, lb) = (luminance(a), luminance(b))
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// Every text role's contrast in `theme`, lowest first; `selected`: as
    /// drawn on the selected row, over the theme's `selected-row` background.
    static func contrasts(_ theme: Theme, selected: Bool = false) -> [(role: Role, ratio: Double)] {
        let textFG = theme.style(.text).fg
        let darkText = textFG != .terminalDefault && luminance(rgb(textFG, bold: false, fallback: (0, 0, 0))) < 0.2
        let defaultFG: RGB = darkText ? (0, 0, 0) : (229, 229, 229)
        let defaultBG: RGB = darkText ? (255, 255, 255) : (0, 0, 0)
        // Borders are lines, not text; a theme's dim role is still text and counts.
        return Role.allCases.filter { $0 != .border && $0 != .borderFocus }.map { role in
            let s = selected ? theme.selectedStyle(role) : theme.style(role)
            var fg = rgb(s.fg, bold: s.bold, fallback: defaultFG)
            var bg = rgb(s.bg, bold: false, fallback: defaultBG)
            if s.reverse { swap(&fg, &bg) }
            return (role, contrast(fg, bg))
        }.sorted { $0.ratio < $1.ratio }
    }

    @Test func theFormulaIsWCAGs() {
        #expect(abs(ThemeContrastTests.contrast((0, 0, 0), (255, 255, 255)) - 21) < 0.01)
        #expect(abs(ThemeContrastTests.contrast((118, 118, 118), (255, 255, 255)) - 4.54) < 0.02)
        #expect(ThemeContrastTests.contrast((127, 127, 127), (0, 205, 205)) < 3)  // grey on cyan: what bold black became
    }

    @Test(arguments: ["default", "light", "high-contrast", "monochrome"])
    func everyTextRoleReadsAtAA(theme name: String) throws {
        let theme = try ThemeCatalog(searchPaths: [themesDir]).load(name).get()
        for (role, ratio) in ThemeContrastTests.contrasts(theme) {
            #expect(ratio >= 4.5, "\(name): \(role.rawValue) has contrast \((ratio * 100).rounded() / 100):1")
        }
        for (role, ratio) in ThemeContrastTests.contrasts(theme, selected: true) {
            #expect(ratio >= 4.5, "\(name): \(role.rawValue) on the selected row has contrast \((ratio * 100).rounded() / 100):1")
        }
    }

    /// The selected row is told apart in every theme: the roles that make up
    /// most of a row look different selected (a background of its own, or in
    /// monochrome an attribute the plain row lacks).
    @Test(arguments: ["default", "light", "high-contrast", "monochrome"])
    func theSelectedRowStandsOut(theme name: String) throws {
        let theme = try ThemeCatalog(searchPaths: [themesDir]).load(name).get()
        for role in [Role.text, .dim, .closed, .countdown, .acked, .ok] {
            #expect(theme.selectedStyle(role) != theme.style(role), "\(name): \(role.rawValue) looks the same selected")
        }
        // Badges keep their own colours on the selected row.
        for role in [Role.tier1, .tier2, .tier3] {
            #expect(theme.selectedStyle(role).bg == theme.style(role).bg, "\(name): \(role.rawValue) lost its badge colour")
            #expect(theme.selectedStyle(role).fg == theme.style(role).fg)
        }
    }
}
