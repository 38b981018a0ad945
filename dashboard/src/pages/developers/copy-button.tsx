// A button that copies a snippet or a secret; the result is announced in a polite live region beside it.
import { useSignal } from "@preact/signals";
import { tp } from "./texts.ts";

/** `label` names what is copied (for screen readers, or shown when `visible`). */
export function CopyButton({ text, label, visible }: { text: string; label: string; visible?: boolean }) {
  const said = useSignal("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      said.value = tp("copied");
    } catch {
      said.value = tp("copyFailed");
    }
  };
  return (
    <span class="copy">
      {visible ? (
        <button type="button" onClick={() => void copy()}>
          {`${tp("copy")}: ${label}`}
        </button>
      ) : (
        <button type="button" onClick={() => void copy()} aria-label={`${tp("copy")}: ${label}`}>
          {tp("copy")}
        </button>
      )}
      <span role="status" class="muted">
        {said.value}
      </span>
    </span>
  );
}
