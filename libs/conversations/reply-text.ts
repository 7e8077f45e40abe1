/**
 * The new words of an email reply: the quoted history and the signature cut off. Mail clients
 * quote in their own ways; these are the ones met (Gmail, Outlook, Apple Mail, in French and
 * English). What is cut is everything from the first line that starts a quote.
 */
const QUOTE_HEADERS: RegExp[] = [
  // Gmail / Apple Mail: "On Tue, 3 Dec 2026 at 10:00, Camille <c@x> wrote:" (may wrap onto 2 lines)
  /^\s*On\b.{0,300}\bwrote\s*:\s*$/i,
  // French Gmail / Apple: "Le mar. 3 déc. 2026 à 10:00, Camille <c@x> a écrit :"
  /^\s*Le\b.{0,300}\ba\s+écrit\s*:\s*$/i,
  // Outlook: "-----Original Message-----" / "-----Message d'origine-----"
  /^\s*-{2,}\s*(Original Message|Message d['’]origine)\s*-{2,}\s*$/i,
  // Outlook headers block: "From: …" / "De : …" followed by Sent/Envoyé
  /^\s*(From|De)\s*:\s.+$/i,
  // Forwarded / separators some clients add
  /^\s*_{10,}\s*$/,
];

const SIGNATURE: RegExp[] = [
  /^-- ?$/, // the standard delimiter
  /^\s*(Sent from my|Envoyé de mon|Envoyé depuis mon|Get Outlook for)\b/i,
];

export function replyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('>')) break;
    if (SIGNATURE.some((r) => r.test(line))) break;
    // A quote header wrapped onto two lines ("On …, Camille <c@x>" / "wrote:").
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]}` : line;
    if (QUOTE_HEADERS.some((r) => r.test(line))) break;
    if (/^\s*(On|Le)\b/i.test(line) && QUOTE_HEADERS.slice(0, 2).some((r) => r.test(joined))) break;
    kept.push(line);
  }
  return kept.join('\n').trim();
}
