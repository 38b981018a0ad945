// Private notes on a customer, pure: the counter beside the field and what is sent. The API takes at most 5,000
// characters as JavaScript counts them (UTF-16 code units, zod's `max`), so the counter counts the same way.
export const NOTES_MAX = 5000;

export interface NotesState {
  length: number;
  /** Characters left (negative when over). */
  remaining: number;
  over: boolean;
  /** Nothing to save: the text is what is stored. */
  unchanged: boolean;
}

export function notesState(text: string, saved: string | null): NotesState {
  const length = text.length;
  return {
    length,
    remaining: NOTES_MAX - length,
    over: length > NOTES_MAX,
    unchanged: normalizeNotes(text) === (saved ?? null),
  };
}

/** What to send: blank notes clear them (`null`), anything else as typed. */
export function normalizeNotes(text: string): string | null {
  return text.trim() === "" ? null : text;
}
