// A region that scrolls sideways on a narrow screen (wide tables), reachable by keyboard.
import type { ComponentChildren } from "preact";

/** `children` in a focusable, labelled scrolling region. */
export const Scroll = ({ label, children }: { label: string; children: ComponentChildren }) => (
  <div class="scroll" tabIndex={0} role="region" aria-label={label}>
    {children}
  </div>
);
