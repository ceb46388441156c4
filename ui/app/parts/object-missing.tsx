// What an object's screen shows while its object is not there: the error that kept it away, that
// it does not exist (once the watch has loaded), or that it is still loading.

/** The stand-in for `kind` `name` in `ns` while the screen has no object to show. */
export function ObjectMissing(props: { kind: string; ns: string; name: string; loaded: boolean; error?: string }) {
  if (props.error)
    return (
      <p role="alert" class="error">
        {props.error}
      </p>
    );
  return props.loaded ? (
    <p role="alert">
      No {props.kind} {props.name} in {props.ns}.
    </p>
  ) : (
    <p>Loading…</p>
  );
}
