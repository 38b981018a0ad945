// The widget's one way to report a problem: a console warning, never an exception thrown into the host page.

export function warn(message: string, err?: unknown): void {
  try {
    console.warn(`[Bookra] ${message}`, ...(err === undefined ? [] : [err]));
  } catch {
    // a host that replaced console.warn with something throwing: stay silent
  }
}
