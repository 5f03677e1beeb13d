import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer +(\S+)$/i;

/** `Authorization: Bearer <METRICS_TOKEN>`, checked in the same time whatever was sent. */
export class MetricsBearer {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  accepts(authorization: unknown): boolean {
    const match = typeof authorization === 'string' ? BEARER.exec(authorization.trim()) : null;
    // Digests of equal length: the comparison takes the same time whatever was sent.
    return match !== null && timingSafeEqual(digest(match[1]), this.expected);
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
