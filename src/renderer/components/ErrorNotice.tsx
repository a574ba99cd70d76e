// Errors in plain words, with the technical details behind a disclosure.
import { CallError } from '../../shared/call-error';
import { asSentence } from '../text';

/** An error as one or two sentences that start with a capital and, where we know it, say what to do. */
export function plainWords(error: unknown): string {
  if (error instanceof CallError) {
    if (error.wire.name === 'Disconnected') return 'The connection to Guestbay was lost. It reconnects by itself; try again in a moment.';
    if (error.wire.name === 'ValidationError') return 'Some of the values are not accepted. The fields at fault are marked: correct them and try again.';
  }
  const m = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return m.trim() ? asSentence(m) : 'Something went wrong, and it did not say what. Open Details below, then try again.';
}

export function ErrorNotice({ error, title, testId }: { error: unknown; title?: string; testId?: string }) {
  const details =
    error instanceof CallError
      ? [`call: ${error.call}`, `error: ${error.wire.name}`, `message: ${error.wire.message}`, ...error.fields.map((f) => `field ${f.field || '(input)'}: ${f.message}`)].join('\n')
      : error instanceof Error
        ? `${error.name}: ${error.message}${error.stack ? `\n${error.stack}` : ''}`
        : String(error);
  return (
    <div className="notice notice-error" role="alert" data-testid={testId ?? 'error'}>
      {title && <strong>{title}</strong>}
      <p>{plainWords(error)}</p>
      <details>
        <summary>Details</summary>
        <pre>{details}</pre>
      </details>
    </div>
  );
}
