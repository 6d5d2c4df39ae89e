/**
 * An answer of the emulator that is not a success: HTTP status, code and message. The service
 * endpoint words it as the service does; the admin API (`/_vocab/`) as its own error body.
 */
export class ServiceRejection extends Error {
  override readonly name = 'ServiceRejection';
  /** HTTP status the front answers with. */
  readonly status: number;
  /** Service code, as in the wire doc's error table (`InvalidParameter`...), or the admin API's (`BadRequest`...). */
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A 400 InvalidParameter rejection: the service's answer to any bad or missing parameter. */
export function invalidParameter(message: string): ServiceRejection {
  return new ServiceRejection(400, 'InvalidParameter', message);
}

/** Message of the 401 answer, exactly as the service words it. */
export const INVALID_API_KEY_MESSAGE = 'Invalid API-key provided.';

/** The 401 rejection for a missing or unknown API key. */
export function invalidApiKey(): ServiceRejection {
  return new ServiceRejection(401, 'InvalidApiKey', INVALID_API_KEY_MESSAGE);
}
