/// Scripted demo walkthroughs bundled into the binary, for briefings and
/// tabletop exercises. Each is an ordinary scenario (spec §3) with narration;
/// `truce demo --print NAME` writes one out as a starting point for your own.
public struct Walkthrough: Sendable {
    public let name: String
    public let summary: String
    public let text: String

    public static let all: [Walkthrough] = [climb, tier1, contested]
    public static let defaultName = "climb"

    public static func named(_ name: String) -> Walkthrough? { all.first { $0.name == name } }

    /// One breach climbs all three tiers; coalition members commit and one declines.
    public static let climb = Walkthrough(name: "climb", summary: "a breach climbs to tier 3: warning, coalition commitments and a decline, the 72-hour trigger", text: #"""
        {"type":"scenario","title":"Walkthrough: a breach climbs to tier 3","start":"2026-02-10T04:00:00Z","speed":1800}
        {"type":"narrate","text":"A ceasefire is in force. Monitors along the contact line feed reports to the duty desk.","at":"+0s"}
        {"type":"report","id":"R-101","sector":"Pokrovsk","status":"reported","at":"+10m","kind":"artillery","source":"UAV monitoring","observed":"+5m"}
        {"type":"narrate","text":"An artillery strike near Pokrovsk is reported. Until it is verified it starts no clock.","at":"+11m"}
        {"type":"report","id":"R-102","sector":"Kupiansk","status":"reported","at":"+40m","kind":"small-arms","source":"local authority"}
        {"type":"report","id":"R-101","sector":"Pokrovsk","status":"confirmed","at":"+1h"}
        {"type":"narrate","text":"Confirmed. The breach is now an incident at tier 1: the initial response is due within 24 hours.","at":"+1h01m"}
        {"type":"action","action":"ack","incident":"INC-0001","at":"+1h20m","by":"duty-a"}
        {"type":"report","id":"R-102","sector":"Kupiansk","status":"retracted","at":"+2h","note":"patrol confirms it was an exercise behind the line"}
        {"type":"action","action":"warning","incident":"INC-0001","at":"+5h","by":"duty-a","note":"Diplomatic warning delivered through the monitoring mission"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"UA","at":"+5h30m","by":"duty-a"}
        {"type":"narrate","text":"Tier 1 done in time: a diplomatic warning, with Ukrainian forces ready to respond.","at":"+5h31m"}
        {"type":"report","id":"R-103","sector":"Pokrovsk","status":"confirmed","at":"+9h","kind":"drone","source":"UAV monitoring"}
        {"type":"narrate","text":"Violations continue after the warning, so the incident moves to tier 2: the UK- and France-led coalition is notified.","at":"+9h01m"}
        {"type":"action","action":"ack","incident":"INC-0001","at":"+9h10m","by":"duty-b"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"GB","at":"+11h","by":"duty-b"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"FR","at":"+12h","by":"duty-b"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"NO","at":"+15h","by":"duty-b"}
        {"type":"action","action":"decline","incident":"INC-0001","member":"TR","at":"+18h","by":"duty-b","note":"awaiting parliamentary approval"}
        {"type":"narrate","text":"Cohesion matters: one partner declines for now. The roster shows who has committed.","at":"+18h01m"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"EU","at":"+22h","by":"duty-b"}
        {"type":"report","id":"R-104","sector":"Pokrovsk","status":"confirmed","at":"+30h","kind":"armor","scale":"major","source":"satellite imagery"}
        {"type":"narrate","text":"The attack persists despite coalition involvement. The incident is armed: tier 3 follows 72 hours after the first breach.","at":"+30h01m"}
        {"type":"action","action":"ack","incident":"INC-0001","at":"+30h15m","by":"duty-c"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"IS","at":"+40h","by":"duty-c"}
        {"type":"report","id":"R-105","sector":"Pokrovsk","status":"confirmed","at":"+60h","kind":"missile","scale":"offensive","source":"liaison officer"}
        {"type":"narrate","text":"Tier 3: a Western-backed force including US assets. The US also oversees ceasefire monitoring.","at":"+72h06m"}
        {"type":"action","action":"ack","incident":"INC-0001","at":"+72h20m","by":"duty-c"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"US","at":"+74h","by":"duty-c"}
        {"type":"narrate","text":"End of walkthrough. Press q to leave, or keep exploring with the keys shown below.","at":"+75h"}
        """#)

    /// A breach handled and resolved inside the tier-1 window.
    public static let tier1 = Walkthrough(name: "tier1", summary: "a breach resolved within tier 1: verification, acknowledgement, warning, response, resolution", text: #"""
        {"type":"scenario","title":"Walkthrough: a breach resolved within tier 1","start":"2026-02-12T22:00:00Z","speed":600}
        {"type":"narrate","text":"Night shift. A mortar strike is reported near Huliaipole.","at":"+0s"}
        {"type":"report","id":"R-201","sector":"Huliaipole","status":"reported","at":"+2m","kind":"mortar","source":"local authority"}
        {"type":"report","id":"R-201","sector":"Huliaipole","status":"confirmed","at":"+40m","note":"crater analysis confirms direction of fire"}
        {"type":"narrate","text":"Confirmed: incident opened at tier 1. The alert stays unacknowledged until an operator takes it, with reminders every 15 minutes.","at":"+41m"}
        {"type":"action","action":"ack","incident":"INC-0001","at":"+1h05m","by":"duty-night"}
        {"type":"action","action":"warning","incident":"INC-0001","at":"+3h","by":"duty-night","note":"Formal warning issued"}
        {"type":"action","action":"response","incident":"INC-0001","at":"+4h","by":"duty-night","note":"Ukrainian units suppress the firing position"}
        {"type":"action","action":"commit","incident":"INC-0001","member":"UA","at":"+4h","by":"duty-night"}
        {"type":"narrate","text":"Warning and proportionate response, well inside the 24-hour window. No further violations follow.","at":"+4h01m"}
        {"type":"action","action":"note","incident":"INC-0001","at":"+10h","by":"duty-day","note":"Sector quiet since 02:00"}
        {"type":"action","action":"resolve","incident":"INC-0001","at":"+12h","by":"duty-day"}
        {"type":"narrate","text":"Resolved at tier 1: the clocks stop. A later breach in this sector would open a new incident.","at":"+12h01m"}
        {"type":"narrate","text":"End of walkthrough. Press q to leave.","at":"+13h"}
        """#)

    /// Verification under pressure: several sectors, pending, disputed and
    /// retracted reports, a late confirmation and a withdrawal.
    public static let contested = Walkthrough(name: "contested", summary: "contested verification across sectors: pending, disputed and retracted reports, a late confirmation", text: #"""
        {"type":"scenario","title":"Walkthrough: contested verification","start":"2026-02-14T06:00:00Z","speed":3600}
        {"type":"narrate","text":"Many reports, few verified. Only confirmed reports count; the rest wait in the pending list.","at":"+0s"}
        {"type":"report","id":"R-301","sector":"Lyman","status":"reported","at":"+5m","kind":"artillery","source":"OSINT"}
        {"type":"report","id":"R-302","sector":"Siversk","status":"reported","at":"+15m","kind":"drone","source":"local authority"}
        {"type":"report","id":"R-303","sector":"Chasiv Yar","status":"reported","at":"+25m","kind":"glide bomb","source":"liaison officer"}
        {"type":"report","id":"R-304","sector":"Toretsk","status":"confirmed","at":"+40m","kind":"small-arms","source":"SMM patrol"}
        {"type":"narrate","text":"Toretsk is confirmed at once and opens an incident. The other three are still unverified.","at":"+41m"}
        {"type":"action","action":"ack","incident":"INC-0001","at":"+50m","by":"duty-a"}
        {"type":"report","id":"R-302","sector":"Siversk","status":"disputed","at":"+2h","note":"imagery inconclusive"}
        {"type":"report","id":"R-301","sector":"Lyman","status":"confirmed","at":"+3h"}
        {"type":"action","action":"ack","incident":"INC-0002","at":"+3h10m","by":"duty-a"}
        {"type":"report","id":"R-305","sector":"Toretsk","status":"retracted","at":"+4h","kind":"small-arms","source":"OSINT","note":"duplicate of R-304"}
        {"type":"report","id":"R-304","sector":"Toretsk","status":"retracted","at":"+6h","note":"patrol misidentified outgoing fire"}
        {"type":"narrate","text":"Toretsk's only report is retracted, so its incident is withdrawn. Retractions never undo escalations already made.","at":"+6h01m"}
        {"type":"action","action":"warning","incident":"INC-0002","at":"+8h","by":"duty-b"}
        {"type":"report","id":"R-303","sector":"Chasiv Yar","status":"confirmed","at":"+30h","observed":"+25m","note":"late confirmation from imagery"}
        {"type":"narrate","text":"A late confirmation: Chasiv Yar's strike happened 30 hours ago, so its tier-1 deadline has already passed. It opens overdue.","at":"+30h01m"}
        {"type":"report","id":"R-302","sector":"Siversk","status":"confirmed","at":"+31h","note":"second source corroborates"}
        {"type":"narrate","text":"The disputed Siversk report is corroborated and now counts, from its original observation time.","at":"+31h01m"}
        {"type":"report","id":"R-306","sector":"Lyman","status":"confirmed","at":"+33h","kind":"mortar","source":"SMM patrol"}
        {"type":"narrate","text":"Lyman continues after its warning: tier 2. Acknowledge the open alerts with a, and escalate or resolve with E and R.","at":"+33h01m"}
        {"type":"narrate","text":"End of walkthrough. Press q to leave.","at":"+36h"}
        """#)
}
