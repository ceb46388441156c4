// The signed-in user's bearer token, kept in this tab's sessionStorage (gone with the tab, never
// in a URL). Every API call sends it, so the server authorizes the page exactly as the CLI.
const KEY = "stella.session";

/** A dashboard session: the token and whose it is. */
export interface Session {
  token: string;
  user: string;
}

/** The current session, if signed in. */
export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return undefined;
  }
}

/** Keeps `session` for this tab. */
export const saveSession = (session: Session) => sessionStorage.setItem(KEY, JSON.stringify(session));

/** Forgets the session (sign out, or the server refused the token). */
export const clearSession = () => sessionStorage.removeItem(KEY);
