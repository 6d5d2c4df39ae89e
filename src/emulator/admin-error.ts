/** An admin request that cannot be served: HTTP status, a short code and a message. */
export class AdminError extends Error {
  override readonly name = 'AdminError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
