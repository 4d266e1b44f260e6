import type { ReactNode } from 'react';

/** What a list shows when it has nothing to list: a sentence, and perhaps a hint. */
export function EmptyState({ children, hint }: { children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="empty">
      <p>{children}</p>
      {hint !== undefined && <p className="muted small">{hint}</p>}
    </div>
  );
}
