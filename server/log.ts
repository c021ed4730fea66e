// Structured logs. Bodies are never logged; the redaction list is a second line
// of defence for anything that carries a card number, token or secret.
import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-id.ts';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      // Every line written while handling a request (or a worker's run) names it.
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
      redact: {
        paths: [
          'authorization',
          '*.authorization',
          'headers.authorization',
          '*.headers.authorization',
          'pan',
          '*.pan',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'phone',
          '*.phone',
          'body',
          '*.body',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
