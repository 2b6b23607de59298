import Foundation
import Testing
import TruceEngine

/// Sector keys are case-folded without Foundation (the executable no longer
/// links it); the table must fold exactly as Foundation did, so no journal's
/// sectors match differently than before.
@Suite("Case folding")
struct CaseFoldingTests {
    @Test func everyScalarFoldsAsFoundationDoes() {
        var differ: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let one = String(Character(s))
            let expected = one.folding(options: .caseInsensitive, locale: nil)
            if CaseFolding.fold(one) != expected {
                differ.append(String(v, radix: 16))
                if differ.count > 20 { break }
            }
        }
        #expect(differ.isEmpty, "folds differently from Foundation: U+\(differ.joined(separator: ", U+"))")
    }

    @Test func stringsFoldAsFoundationDoes() {
        var g = SystemRandomNumberGenerator()
        let pool = Array("AaZzßẞİıΣσςﬁＡΩΩKÅǅǄ Pokrovsk ПОКРОВСЬК é\u{301}🇺🇦👍🏽\u{200B}".unicodeScalars)
        for _ in 0..<2000 {
            let s = String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &g)).map { _ in pool.randomElement(using: &g)! }))
            #expect(CaseFolding.fold(s) == s.folding(options: .caseInsensitive, locale: nil), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(Engine.sectorKey("  POKROVSK ") == Engine.sectorKey("pokrovsk"))
        #expect(Engine.sectorKey("Straße") == Engine.sectorKey("STRASSE"))
    }
}
