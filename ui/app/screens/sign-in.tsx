// Sign-in: a link from `stella dashboard` (its one-time code rides in the URL fragment, which is
// removed from the address bar before anything else happens), or a bearer token pasted here.
import { useEffect, useState } from "preact/hooks";
import { ApiFailure, failure } from "../api.ts";
import { navigate } from "../router.tsx";
import { saveSession } from "../session.ts";

/** Where sessionStorage keeps the screen to return to after signing in. */
export const RETURN_KEY = "stella.return";

function done(user: string, token: string) {
  saveSession({ user, token });
  const back = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  navigate(back && back.startsWith("/ui/") && !back.startsWith("/ui/sign-in") ? back : "/ui/", true);
}

async function exchange(code: string) {
  const res = await fetch("/ui/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  if (!res.ok) throw await failure(res);
  const { user, token } = (await res.json()) as { user: string; token: string };
  done(user, token);
}

async function withToken(token: string) {
  const res = await fetch("/apis/authentication.k8s.io/v1/selfsubjectreviews", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
  });
  if (!res.ok) throw await failure(res);
  const review = (await res.json()) as { status: { userInfo: { username: string } } };
  done(review.status.userInfo.username, token);
}

/** The sign-in screen. */
export function SignInScreen() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fail = (err: unknown) => {
    setBusy(false);
    setError(err instanceof ApiFailure || err instanceof Error ? err.message : String(err));
  };
  useEffect(() => {
    const params = new URLSearchParams(location.hash.slice(1));
    const code = params.get("code");
    if (!code) return;
    const next = params.get("next");
    if (next) sessionStorage.setItem(RETURN_KEY, next);
    history.replaceState(null, "", "/ui/sign-in");
    setBusy(true);
    exchange(code).catch(fail);
  }, []);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const token = new FormData(e.target as HTMLFormElement).get("token");
    if (typeof token !== "string" || !token.trim()) return setError("Paste a bearer token.");
    setBusy(true);
    withToken(token.trim()).catch(fail);
  };
  return (
    <main class="sign-in">
      <h1>Sign in to Stella</h1>
      <p>
        Run <code>stella dashboard</code> for a one-time sign-in link as your kubeconfig's user, or paste a bearer
        token.
      </p>
      <form onSubmit={onSubmit}>
        <label for="token">Bearer token</label>
        <input id="token" name="token" type="password" autocomplete="off" required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </main>
  );
}
