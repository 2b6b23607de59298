// Generated from themes/*.theme: BundledThemesTests keeps the two equal, and
// `TRUCE_UPDATE_GOLDEN=1 swift test --filter BundledThemes` rewrites this file.

/// The bundled themes, compiled in: `--theme light` works from any directory
/// and with nothing installed beside the binary. Files found on disk with the
/// same name (in `$XDG_CONFIG_HOME/truce/themes`, say) override them.
public enum BundledThemes {
    public static let files: [(name: String, text: String)] = [
        ("default", #"""
# truce theme: default (dark). This file mirrors the built-in default, so
# truce needs no theme file at all; copy it to start your own.
#
# Format: one setting a line, `key = "value"`; `#` starts a comment.
#   name  = "shown when cycling themes with t"
#   ROLE  = "[attributes] [foreground] [on background]"
# Attributes: bold dim underline reverse.
# Colours: default (the terminal's own), black red green yellow blue magenta
# cyan white, bright-<name>, a 256-colour index 0-255, or #rrggbb.
# Colours step down to what the terminal has (true colour, 256, 8) and to
# attributes only for NO_COLOR or a terminal without colour.
# Keys left out keep the built-in value; an unknown key is an error.
# Black text is never bold here: many terminals draw bold black as grey, which
# reads poorly on a coloured badge (a test checks every role for 4.5:1 contrast).
#
# Where to put themes: ./themes, $XDG_CONFIG_HOME/truce/themes (or
# ~/.config/truce/themes), or share/truce/themes beside the installed binary.
# Choose with --theme NAME|PATH or TRUCE_THEME; t cycles while running.

name = "default"

text         = "default"                     # ordinary text
dim          = "bright-black"                # labels, column heads, quiet text
border       = "bright-black"                # pane borders
border-focus = "bold bright-cyan"            # border of the pane with keyboard focus
title        = "bold bright-white"           # pane titles
header       = "bold bright-white on blue"   # top bar
clock        = "bold bright-yellow on blue"  # the clock in the top bar
header-warn  = "bold bright-yellow on blue"  # unacknowledged count in the top bar
header-alert = "bold bright-white on red"    # overdue count, or a feed in trouble, in the top bar
tier1        = "black on cyan"          # tier badge: diplomatic warning and Ukrainian response
tier2        = "black on yellow"        # tier badge: coalition of the willing
tier3        = "bold bright-white on red"    # tier badge: Western-backed force with US assets
overdue      = "bold bright-red"             # OVERDUE countdowns and counts
unacked      = "bold bright-yellow"          # unacknowledged alerts
acked        = "green"                       # acknowledged
closed       = "bright-black"                # resolved and withdrawn incidents
selection    = "reverse"                     # the cursor in the note and filter prompt
selected-row = "on 233"                      # under the selected row; its cells keep their colours
countdown    = "bright-cyan"                 # running clocks
due-soon     = "bold underline bright-yellow"  # a clock in its last hour (policy due_soon)
ok           = "bright-green"                # committed, confirmations, done
warning      = "bright-yellow"               # notified, pending, tier-2 events
danger       = "bold bright-red"             # declined, tier-3 events
caption      = "bright-white on magenta"     # demo narration line
ticker       = "default"                     # event ticker
key-hint     = "white"                       # footer descriptions
key          = "bold bright-cyan"            # key names in the footer and help
overlay      = "bright-white on black"       # help and confirmation boxes
prompt       = "bright-white on blue"        # the note and filter prompt
error        = "bold bright-white on red"    # rejected actions
"""#),
        ("light", #"""
# truce theme: light, for bright rooms and projectors with light backgrounds.
# Format and roles: see default.theme.
name = "light"

text         = "black"
dim          = "#6c6c6c"
border       = "#8a8a8a"
border-focus = "bold #005fd7"
title        = "bold #1c1c1c"
header       = "bold white on #005f87"
clock        = "bold #ffff87 on #005f87"
header-warn  = "bold #ffff87 on #005f87"
header-alert = "bold white on #d70000"
tier1        = "black on #87d7ff"
tier2        = "black on #ffd75f"
tier3        = "bold white on #d70000"
overdue      = "bold #d70000"
unacked      = "bold #875f00"
acked        = "#005f00"
closed       = "#6c6c6c"
selection    = "black on #d0d0d0"
selected-row = "on #eeeeee"
countdown    = "#005f87"
due-soon     = "bold underline #875f00"
ok           = "#005f00"
warning      = "#875f00"
danger       = "bold #d70000"
caption      = "black on #ffd7ff"
ticker       = "black"
key-hint     = "#4e4e4e"
key          = "bold #005fd7"
overlay      = "black on #eeeeee"
prompt       = "black on #d7d7ff"
error        = "bold white on #d70000"
"""#),
        ("high-contrast", #"""
# truce theme: high contrast. Pure black and white with saturated signal
# colours and bold everywhere it matters, for low vision and glare.
# Format and roles: see default.theme.
name = "high-contrast"

text         = "bright-white on black"
dim          = "white on black"
border       = "bright-white on black"
border-focus = "bold bright-yellow on black"
title        = "bold bright-white on black"
header       = "black on bright-white"
clock        = "black on bright-yellow"
header-warn  = "black on bright-yellow"
header-alert = "bold bright-white on red"
tier1        = "black on bright-cyan"
tier2        = "black on bright-yellow"
tier3        = "bold bright-white on red"
overdue      = "bold underline bright-red on black"
unacked      = "bold underline bright-yellow on black"
acked        = "bold bright-green on black"
closed       = "white on black"
selection    = "black on bright-white"
selected-row = "on 233"
countdown    = "bold bright-cyan on black"
due-soon     = "bold underline bright-yellow on black"
ok           = "bold bright-green on black"
warning      = "bold bright-yellow on black"
danger       = "bold bright-red on black"
caption      = "black on bright-white"
ticker       = "bright-white on black"
key-hint     = "bright-white on black"
key          = "bold bright-yellow on black"
overlay      = "bright-white on black"
prompt       = "black on bright-white"
error        = "bold bright-white on red"
"""#),
        ("monochrome", #"""
# truce theme: monochrome. Attributes only, no colour at all: for terminals
# and printers without colour, and what NO_COLOR looks like on purpose.
# Format and roles: see default.theme.
name = "monochrome"

text         = "default"
dim          = "dim"
border       = "dim"
border-focus = "bold"
title        = "bold"
header       = "reverse bold"
clock        = "reverse bold"
header-warn  = "reverse bold underline"
header-alert = "bold"
tier1        = "reverse"
tier2        = "reverse bold"
tier3        = "reverse bold underline"
overdue      = "bold underline"
unacked      = "bold"
acked        = "default"
closed       = "dim"
selection    = "reverse"
selected-row = "underline"
countdown    = "default"
due-soon     = "bold underline"
ok           = "default"
warning      = "bold"
danger       = "bold underline"
caption      = "reverse"
ticker       = "default"
key-hint     = "dim"
key          = "bold"
overlay      = "default"
prompt       = "reverse"
error        = "reverse bold"
"""#),
    ]
}
