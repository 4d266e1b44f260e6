/**
 * A modal dialog: focus moves in when it opens (to `[data-autofocus]`, else the first
 * field), stays inside while it is open (Tab wraps), and goes back where it was when it
 * closes; Escape and a click on the backdrop close it. Every confirmation uses this.
 */
import { useEffect, useRef } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: React.ReactNode;
  onClose: () => void;
  /** Where focus goes when the dialog closes, if the opener is gone meanwhile. */
  returnFocusTo?: string;
  /** Focus the first text field rather than the `[data-autofocus]` button. */
  focusField?: boolean;
  children: React.ReactNode;
  actions: React.ReactNode;
}

export function Dialog({ title, onClose, returnFocusTo, focusField = false, children, actions }: DialogProps) {
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.querySelector<HTMLElement>(focusField ? 'input' : '[data-autofocus]')?.focus();
    return () => {
      // The button that opened the dialog may be gone after the action: land on a heading.
      const back = previous && previous.isConnected && !(previous as HTMLButtonElement).disabled ? previous : returnFocusTo ? document.getElementById(returnFocusTo) : null;
      back?.focus();
    };
  }, [focusField, returnFocusTo]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      // Everything is disabled while the action runs: keep focus on the dialog itself.
      event.preventDefault();
      panel.current.focus();
      return;
    }
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" aria-describedby="dialog-body" ref={panel} onKeyDown={onKeyDown} tabIndex={-1}>
        <h2 id="dialog-title">{title}</h2>
        <div id="dialog-body">{children}</div>
        <div className="row dialog-actions">
          <span className="spacer" />
          {actions}
        </div>
      </div>
    </div>
  );
}
