// Stripe's error shape: `{ error: { type, code?, message, param?, doc_url? } }`, with the HTTP status Stripe uses.

export type StripeErrorType = "invalid_request_error" | "idempotency_error" | "api_error" | "card_error";

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  body(requestId: string): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message, request_log_url: requestId };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replaceAll("_", "-")}`;
    }
    if (this.param) error.param = this.param;
    return { error };
  }
}

export const missing = (param: string) =>
  new StripeApiError(400, "invalid_request_error", `Missing required param: ${param}.`, "parameter_missing", param);

export const invalid = (param: string, message: string, code = "parameter_invalid") =>
  new StripeApiError(400, "invalid_request_error", message, code, param);

export const unknownParam = (param: string) =>
  new StripeApiError(400, "invalid_request_error", `Received unknown parameter: ${param}`, "parameter_unknown", param);

export const noSuch = (kind: string, id: string, param = "id") =>
  new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, "resource_missing", param);
