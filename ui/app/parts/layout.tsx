// The frame of every screen: who is signed in, the namespace, the screens' links, sign-out.
import type { ComponentChildren } from "preact";
import { Link, navigate, pathTo } from "../router.tsx";
import { clearSession, currentSession } from "../session.ts";

const SCREENS = [
  ["pipeline", "Pipeline"],
  ["targets", "Targets and agents"],
  ["canaries", "Canaries"],
  ["evidence", "Evidence"],
  ["audit", "Audit"],
] as const;

/** The page frame around `children`. */
export function Layout(props: { ns: string; screen: string; children: ComponentChildren }) {
  const session = currentSession();
  const onNamespace = (e: Event) => {
    e.preventDefault();
    const value = new FormData(e.target as HTMLFormElement).get("ns");
    if (typeof value === "string" && value.trim())
      navigate(pathTo(value.trim(), SCREENS.some(([what]) => what === props.screen) ? props.screen : "pipeline"));
  };
  const signOut = () => {
    clearSession();
    navigate("/ui/sign-in");
  };
  return (
    <>
      <header class="top">
        <span class="brand">Stella</span>
        <nav aria-label="Screens">
          {SCREENS.map(([what, label]) => (
            <Link key={what} href={pathTo(props.ns, what)} class={props.screen === what ? "current" : ""}>
              {label}
            </Link>
          ))}
        </nav>
        <form class="ns" onSubmit={onNamespace}>
          <label for="ns">Namespace</label>
          <input id="ns" name="ns" value={props.ns} size={12} />
        </form>
        <span class="user" data-user={session?.user}>
          {session?.user}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{props.children}</main>
    </>
  );
}
