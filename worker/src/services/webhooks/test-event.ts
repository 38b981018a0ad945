// The test event of the developers page: delivered to the one endpoint its payload names, whatever that endpoint
// subscribed to (its own file so the delivery code, the handler and the admin verb share it without a cycle).
export const WEBHOOK_TEST_EVENT = "ping";
