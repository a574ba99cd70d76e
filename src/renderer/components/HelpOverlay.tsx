import { Dialog } from './Dialog';

export const SHORTCUTS: [string, string][] = [
  ['N', 'Create a new guest'],
  ['L', 'Go to the library'],
  ['H', 'Check this host'],
  ['← →', 'Select a guest in the library (or click its card)'],
  ['O', 'Open the selected guest'],
  ['Enter', 'Start the selected guest (a saved one continues)'],
  ['Ctrl+.', 'Shut the selected guest down'],
  ['P', 'Pause or resume the selected guest'],
  ['S', 'Save the selected guest’s state'],
  ['W', 'Switch to the selected guest'],
  ['?', 'Show or hide this help'],
  ['Esc', 'Close this help or a dialog'],
];

export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <Dialog label="Keyboard shortcuts" testId="help-overlay" onClose={onClose}>
      <header className="dialog-head">
        <h2>Keyboard shortcuts</h2>
        <button type="button" className="btn btn-small" data-testid="help-close" onClick={onClose}>
          Close
        </button>
      </header>
      <dl className="shortcuts">
        {SHORTCUTS.map(([k, what]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">Shortcuts work when no text field or console has the focus. On a guest’s page the action keys act on that guest.</p>
    </Dialog>
  );
}
