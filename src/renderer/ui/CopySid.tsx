/**
 * A session id as the app shows it (its first characters), a button that copies the
 * whole id: what the CLI takes (`revoke <user> <sid>`, or a unique prefix of 8+).
 */
import { useState } from 'react';
import { sidPrefix } from '../../shared/limits';

export function CopySid({ sid }: { sid: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(sid);
      setCopied(true);
    } catch {
      setCopied(false);
    }
    setTimeout(() => setCopied(null), 1500);
  };
  // The name read out starts with what is seen (the prefix); the outcome is announced beside it.
  return (
    <span className="sid-cell">
      <button type="button" className="link mono small sid" onClick={() => void copy()} title="Copy the full session id">
        {sidPrefix(sid)}…<span className="visually-hidden"> copy the session id</span>
      </button>
      <span className="copied" role="status">{copied === true ? ' Copied' : copied === false ? ' Copy failed' : ''}</span>
    </span>
  );
}
