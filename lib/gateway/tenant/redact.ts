/**
 * Upstream error texts are written by someone else's server, and some echo what we sent them —
 * the channel's Authorization header included. Before such a text reaches a tenant (a relayed
 * error, a 502 summary, a stream error event, their request log) it goes through here: the
 * channel's own credentials and addresses are cut out by exact match, and anything shaped like a
 * credential by pattern, since an upstream may echo a key we cannot list (a proxy's own key).
 * Admins keep the full text in the channel's last-failure reason (channel-health.ts).
 */

export const REDACTED = "[redacted]";
const UPSTREAM = "[upstream]";

/** Shorter "secrets" (a two-letter channel name…) would shred ordinary words. */
const MIN_EXACT_LENGTH = 4;

export interface ChannelIdentity {
  name: string;
  baseUrl: string | null;
  apiKey: string | null;
}

/** What must never reach a tenant about a channel: its key, its name, and where it lives. */
export function channelSecrets(channel: ChannelIdentity): string[] {
  const secrets = [channel.apiKey, channel.name];
  if (channel.baseUrl) {
    secrets.push(channel.baseUrl.replace(/\/+$/, ""));
    try {
      const url = new URL(channel.baseUrl);
      secrets.push(url.host, url.hostname.replace(/^\[|\]$/g, ""));
    } catch {
      // not a URL: the exact string above is all there is to hide
    }
  }
  return secrets.filter((s): s is string => typeof s === "string" && s.trim().length >= MIN_EXACT_LENGTH);
}

// Header or JSON field names whose values are credentials, quoted (JSON, repr) or not (header dumps, query strings).
const CREDENTIAL_FIELD = String.raw`(?:proxy-)?authorization|x-api-key|x-goog-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|client[-_]?secret|secret[-_]?key|password|token`;
const QUOTED_FIELD = new RegExp(String.raw`(["'])(${CREDENTIAL_FIELD})\1(\s*[:=]\s*)(["'])((?:\\.|(?!\4)[^\\])*)\4`, "gi");
// The same inside a JSON string (a JSON document quoted in an error message): quotes come escaped.
const ESCAPED_QUOTED_FIELD = new RegExp(String.raw`\\(["'])(${CREDENTIAL_FIELD})\\\1(\s*[:=]\s*)\\(["'])(.*?)\\\4`, "gi");
const BARE_FIELD = new RegExp(String.raw`\b(${CREDENTIAL_FIELD})(\s*[:=]\s*)(?!(?:(?:Bearer|Basic|Token)\s+)?\[redacted\])((?:(?:Bearer|Basic|Token)\s+)?[^\s"',;&)}[\]\\]+)`, "gi");
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{4,}/gi;
const KEY_SHAPES: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{6,}/g,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(?:ghp|gho|ghs|github_pat|xox[abprs]|hf|glpat|r8)_[A-Za-z0-9_-]{16,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  // JSON Web Tokens: header.payload.signature, the header always starting with {" in base64.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:(?:\/\/|\\\/\\\/)(?:[^\s"'<>`)\]}\\]|\\\/)+/gi;
const IPV4_WITH_PORT = /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g;
const LONG_TOKEN = /[A-Za-z0-9_+/=.-]{20,}/g;

/**
 * `text` with credentials and upstream addresses replaced. `secrets` are matched exactly (the
 * channel's key, name, base URL and host — see channelSecrets); patterns catch the rest.
 */
export function redactUpstreamText(text: string, secrets: readonly string[] = []): string {
  if (!text) return text;
  let out = text;
  for (const secret of exactForms(secrets)) out = out.split(secret).join(REDACTED);
  out = out.replace(QUOTED_FIELD, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}${vq}`);
  out = out.replace(ESCAPED_QUOTED_FIELD, (_m, q: string, name: string, sep: string, vq: string) => `\\${q}${name}\\${q}${sep}\\${vq}${REDACTED}\\${vq}`);
  out = out.replace(BARE_FIELD, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(URL_PATTERN, UPSTREAM);
  out = out.replace(IPV4_WITH_PORT, UPSTREAM);
  out = out.replace(LONG_TOKEN, (token) => (looksRandom(token) ? REDACTED : token));
  return out;
}

// The same list (the catalog's) is passed again and again: its spellings are worked out once.
const prepared = new WeakMap<readonly string[], string[]>();

/** Every spelling of every secret, longest first so a base URL goes as a whole rather than leaving its path behind its host. */
function exactForms(secrets: readonly string[]): string[] {
  let forms = prepared.get(secrets);
  if (!forms) {
    forms = [...new Set(secrets.filter((s) => s && s.trim().length >= MIN_EXACT_LENGTH).flatMap(spellings))].sort((a, b) => b.length - a.length);
    prepared.set(secrets, forms);
  }
  return forms;
}

/** A secret as it may appear in the text: as is, JSON-escaped, and with escaped slashes (some JSON encoders do that). */
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [secret, json, json.replace(/\//g, "\\/")];
}

/**
 * A run of key characters that looks machine-made: some piece of it between separators is long,
 * mixes letters and digits, and varies enough per character (Shannon entropy). Names built from
 * short words and numbers (model ids such as "Meta-Llama-3-70B-Instruct", UUIDs) stay readable.
 */
export function looksRandom(token: string): boolean {
  return token.split(/[-_/+=.]/).some((piece) => piece.length >= 16 && /\d/.test(piece) && /[A-Za-z]/.test(piece) && entropy(piece) >= 3.3);
}

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
