// A handler that did part of its work (e.g. two of three webhook endpoints) throws IncompleteEffect: the consumer
// keeps the progress it wrote in the transaction, but not the completion, and retries the rest later.
export class IncompleteEffect extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IncompleteEffect";
  }
}
