// A button that copies a snippet or a secret; the result is announced in a polite live region beside it.
import { useSignal } from "@preact/signals";
import { tp } from "./texts.ts";

export function CopyButton({ text, label }: { text: string; label: string }) {
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
      <button type="button" onClick={() => void copy()} aria-label={`${tp("copy")}: ${label}`}>
        {tp("copy")}
      </button>
      <span role="status" class="muted">
        {said.value}
      </span>
    </span>
  );
}
