// The frame of every screen: who is signed in, the namespace, the screens' links, sign-out. On a
// narrow screen the links and the namespace fold behind a Menu button (a disclosure:
// aria-expanded, aria-controls) and fold again once a link is followed.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
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
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [props.ns, props.screen]);
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
      <header class={open ? "top open" : "top"}>
        <span class="brand">Stella</span>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={open}
          aria-controls="screens-nav ns-form"
          onClick={() => setOpen(!open)}
        >
          Menu
        </button>
        <nav id="screens-nav" aria-label="Screens">
          {SCREENS.map(([what, label]) => (
            <Link key={what} href={pathTo(props.ns, what)} class={props.screen === what ? "current" : ""}>
              {label}
            </Link>
          ))}
        </nav>
        <form id="ns-form" class="ns" onSubmit={onNamespace}>
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
