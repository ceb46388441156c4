// Routing on the History API: every screen has its own URL under /ui/, so a link can be shared
// and the back button works; links change the page without a reload.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A screen and its parameters, parsed from the path. */
export type Route =
  | { screen: "sign-in" }
  | { screen: "pipeline"; ns: string }
  | { screen: "promotion" | "deployment" | "release" | "canary"; ns: string; name: string }
  | { screen: "targets" | "evidence" | "audit" | "canaries"; ns: string }
  | { screen: "not-found"; path: string };

const SINGLE = {
  promotions: "promotion",
  deployments: "deployment",
  releases: "release",
  canaries: "canary",
} as const;

const LISTS = ["targets", "evidence", "audit", "canaries"] as const;

/** The route of `pathname`. */
export function parseRoute(pathname: string): Route {
  const parts = pathname
    .replace(/^\/ui\/?/, "")
    .split("/")
    .filter(Boolean)
    .map(decodeURIComponent);
  if (parts.length === 0) return { screen: "pipeline", ns: "default" };
  if (parts[0] === "sign-in") return { screen: "sign-in" };
  if (parts[0] === "ns" && parts[1]) {
    const [, ns, what, name] = parts;
    if (!what || what === "pipeline") return { screen: "pipeline", ns };
    if (LISTS.includes(what as (typeof LISTS)[number]) && !name) return { screen: what as (typeof LISTS)[number], ns };
    if (what in SINGLE && name) return { screen: SINGLE[what as keyof typeof SINGLE], ns, name };
  }
  return { screen: "not-found", path: pathname };
}

/** The path of a screen in namespace `ns`. */
export const pathTo = (ns: string, what: string, name?: string) =>
  `/ui/ns/${encodeURIComponent(ns)}/${what}${name ? `/${encodeURIComponent(name)}` : ""}`;

const listeners = new Set<() => void>();

/** Goes to `path` without a reload. */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  listeners.forEach((l) => l());
}

/** The current route, updated on navigation and on back/forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return route;
}

/** An anchor that navigates in place (modified clicks still open a new tab). */
export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} onClick={onClick}>
      {props.children}
    </a>
  );
}
