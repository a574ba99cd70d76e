// "Are you sure?" for an action that loses something: what will happen, Cancel (focused first),
// and the action named on its button.
import { Dialog } from '../components/Dialog';

export function ConfirmDialog({ title, body, confirm, danger, testId, onConfirm, onCancel }: { title: string; body: string; confirm: string; danger?: boolean; testId: string; onConfirm(): void; onCancel(): void }) {
  return (
    <Dialog label={title} testId={testId} onClose={onCancel} initialFocus="[data-cancel]">
      <header className="dialog-head">
        <h2>{title}</h2>
      </header>
      <p>{body}</p>
      <footer className="dialog-foot">
        <button type="button" className="btn" data-cancel onClick={onCancel} data-testid={`${testId}-cancel`}>
          Cancel
        </button>
        <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} data-testid={`${testId}-ok`} onClick={onConfirm}>
          {confirm}
        </button>
      </footer>
    </Dialog>
  );
}
