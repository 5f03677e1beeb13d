import type { StandInAnswer } from './answers.js';
import type { RecordedStripeRequest } from './request.js';

type Entry = { fingerprint: string; answer: StandInAnswer | 'in-flight' };

/** What the stand-in does with a request, given the Idempotency-Key rules of Stripe's v1 API. */
export type IdempotencyDecision =
  | { kind: 'execute'; done: (answer: StandInAnswer) => void }
  | { kind: 'answer'; answer: StandInAnswer; replayed: boolean };

/**
 * Stripe keeps the first response to a key and replays it to a retry of the same request; a request
 * reusing a key with other parameters is refused (400), one arriving while the key's first request is
 * still executing is answered 409 (the SDK retries it). Failed validations are not kept. Keys are
 * kept for the stand-in's lifetime, or not at all with `keep = false` (Stripe prunes them after 24 h).
 */
export class IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();
  keep = true;

  decide(request: RecordedStripeRequest): IdempotencyDecision {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string') return { kind: 'execute', done: () => {} };
    const fingerprint = `${request.method} ${request.path} ${request.body}`;
    const known = this.entries.get(key);
    if (known?.answer === 'in-flight') {
      const message =
        'There is currently another in-progress request using this Idempotent Key (that probably means ' +
        `you submitted twice, and the other request is still going through): ${key}. Please try again later.`;
      return { kind: 'answer', answer: idempotencyError(409, message), replayed: false };
    }
    if (known && known.fingerprint !== fingerprint) {
      const message =
        'Keys for idempotent requests can only be used with the same parameters they were first used ' +
        `with. Try using a key other than '${key}' if you meant to execute a different request.`;
      return { kind: 'answer', answer: idempotencyError(400, message), replayed: false };
    }
    if (known) return { kind: 'answer', answer: known.answer, replayed: true };
    this.entries.set(key, { fingerprint, answer: 'in-flight' });
    return {
      kind: 'execute',
      done: (answer) => {
        const kept = this.keep && (answer.status < 400 || answer.status >= 500);
        if (kept) this.entries.set(key, { fingerprint, answer });
        else this.entries.delete(key);
      },
    };
  }

  clear(): void {
    this.entries.clear();
    this.keep = true;
  }
}

const idempotencyError = (status: number, message: string): StandInAnswer => ({
  status,
  body: { error: { type: 'idempotency_error', message } },
});
