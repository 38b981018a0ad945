// "Revoke" / "Delete" with a confirmation in place: the question and two buttons replace the trigger, focus goes to
// the safe choice, Escape or "Keep it" puts the trigger (and the focus) back.
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { tp } from "./texts.ts";

export function ConfirmButton(props: {
  label: string;
  /** The trigger's accessible name ("Revoke key nightly sync"). */
  name: string;
  question: string;
  yes: string;
  busy: boolean;
  onConfirm: () => void;
}) {
  const asking = useSignal(false);
  const keep = useRef<HTMLButtonElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking.value) keep.current?.focus();
    else if (wasAsking.current) trigger.current?.focus();
    wasAsking.current = asking.value;
  }, [asking.value]);
  const onEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape") asking.value = false;
  };
  if (!asking.value)
    return (
      <button
        type="button"
        ref={trigger}
        aria-label={props.name}
        onClick={() => {
          asking.value = true;
        }}
      >
        {props.label}
      </button>
    );
  return (
    <span class="confirm">
      <span>{props.question}</span>
      <button type="button" class="danger" disabled={props.busy} onClick={props.onConfirm} onKeyDown={onEscape}>
        {props.yes}
      </button>
      <button
        type="button"
        ref={keep}
        onKeyDown={onEscape}
        onClick={() => {
          asking.value = false;
        }}
      >
        {tp("keep")}
      </button>
    </span>
  );
}
