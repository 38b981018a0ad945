// A view whose code is a chunk of its own: it renders nothing until the chunk has arrived (callers preload it
// before it is needed, so the customer rarely sees that), then the component.
import { signal } from "@preact/signals";
import type { FunctionComponent } from "preact";
import { warn } from "../models/log.ts";

export function lazyView<P>(load: () => Promise<FunctionComponent<P>>) {
  const loaded = signal<FunctionComponent<P> | null>(null);
  let pending: Promise<void> | undefined;
  const preload = () => {
    pending ??= load().then(
      (c) => {
        loaded.value = c;
      },
      (e) => {
        pending = undefined; // the next render tries again
        warn("could not load a part of the widget", e);
      },
    );
    return pending;
  };
  function View(props: P) {
    const C = loaded.value;
    if (!C) preload();
    return C ? <C {...(props as P & object)} /> : null;
  }
  return Object.assign(View, { preload });
}
