// Invitations to the business's dashboard: an e-mailed link with a role (staff: their staff record).
import type { Body, Call, IdempotentRequestOptions, RequestOptions } from "../http.ts";

export const adminInvitations = (call: Call) => ({
  /** The latest invitations with their status. @example const { data } = await admin.invitations.list(); */
  list: (options?: RequestOptions) => call("GET /v1/admin/invitations", {}, options),
  /**
   * Invites an address; only an owner may invite an owner.
   * @example await admin.invitations.create({ email: "ana@salon.example", role: "staff", staffId: "stf_…" });
   */
  create: (input: Body<"POST /v1/admin/invitations">, options?: IdempotentRequestOptions) =>
    call("POST /v1/admin/invitations", { body: input }, options),
  /** Withdraws an invitation: its link stops working. @example await admin.invitations.revoke("atk_…"); */
  revoke: (id: string, options?: RequestOptions) =>
    call("DELETE /v1/admin/invitations/{id}", { path: { id } }, options),
});
