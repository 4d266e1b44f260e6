import type { AppError } from '../../shared/errors';

const TITLES: Record<string, string> = {
  SIGN_IN_FAILED: 'Sign-in failed',
  ACCESS_DENIED: 'Access denied',
  NOT_FOUND: 'Not found',
  DATABASE: 'Database problem',
  READ_ONLY: 'Read-only connection',
  AUDIT_LOG: 'Audit log cannot be written',
  NOT_SIGNED_IN: 'Not signed in',
  INVALID_REQUEST: 'Check the form',
  USAGE: 'Check the form',
  INTERNAL: 'Something went wrong',
  CANCELLED: 'Stopped',
};

export function ErrorNotice({ error, onDismiss, action }: { error: AppError; onDismiss?: () => void; action?: React.ReactNode }) {
  // A cancel is the operator's own choice: said calmly, not as an alarm.
  const cancelled = error.code === 'CANCELLED';
  return (
    <div className={`notice ${cancelled ? 'notice-info' : 'notice-error'}`} role={cancelled ? 'status' : 'alert'}>
      <div>
        <strong>{TITLES[error.code] ?? 'Error'}.</strong> {error.message}
      </div>
      <div className="notice-actions">
        {action}
        {onDismiss && (
          <button type="button" className="button button-quiet button-small" onClick={onDismiss} aria-label="Dismiss">
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}

export function SuccessNotice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  return (
    <div className="notice notice-success" role="status">
      <div>{text}</div>
      <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
