// Errors in plain words, with the technical details behind a disclosure.
import { CallError } from '../../shared/contract';

export function plainWords(error: unknown): string {
  if (error instanceof CallError) {
    if (error.wire.name === 'Disconnected') return 'The connection to Guestbay was lost. It reconnects by itself; try again in a moment.';
    if (error.wire.name === 'ValidationError') return 'Some of the values are not accepted. The fields at fault are marked.';
    const m = error.message;
    return m ? m.charAt(0).toUpperCase() + m.slice(1) + (/[.!?]$/.test(m) ? '' : '.') : 'Something went wrong.';
  }
  if (error instanceof Error) return error.message || 'Something went wrong.';
  return String(error);
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
