/**
 * The one apology a user gets instead of an answer, in every channel: short, with what went wrong as a stable code
 * and the correlation id as the reference support searches the logs and exports by — never silence, an empty
 * message or a stack trace (all three happened in the seed's implementation).
 */
export function apology(correlationId: string, code: string): string {
  return `Sorry, I could not answer this one (${code}). Please try again; if it keeps failing, quote reference ${correlationId}.`;
}
