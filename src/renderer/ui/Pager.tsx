/**
 * Previous / Next over a paged list, with where this page sits in the whole, and a
 * page number to jump to (type it, Enter) when there are more than two pages.
 */
import { useEffect, useState } from 'react';

export function Pager({ offset, pageSize, total, totalText, busy, onPage }: {
  offset: number;
  pageSize: number;
  total: number;
  /** How the total reads ("10,000", "100,000+"); default: the number. */
  totalText?: string;
  busy: boolean;
  onPage: (offset: number) => void;
}) {
  const page = Math.floor(offset / pageSize) + 1;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const [typed, setTyped] = useState(String(page));
  useEffect(() => setTyped(String(page)), [page]);
  if (total <= pageSize && offset === 0) return null;
  const jump = () => {
    const wanted = Math.min(pages, Math.max(1, Math.trunc(Number(typed)) || page));
    setTyped(String(wanted));
    if (wanted !== page) onPage((wanted - 1) * pageSize);
  };
  return (
    <div className="pager">
      <button type="button" className="button button-small" disabled={offset === 0 || busy} onClick={() => onPage(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <span className="small muted">
        {(offset + 1).toLocaleString('en')}–{Math.min(offset + pageSize, total).toLocaleString('en')} of {totalText ?? total.toLocaleString('en')}
      </span>
      {pages > 2 && (
        <form
          className="pager-jump small"
          onSubmit={(event) => {
            event.preventDefault();
            jump();
          }}
        >
          <label>
            Page{' '}
            <input
              className="pager-page"
              inputMode="numeric"
              value={typed}
              onChange={(e) => setTyped(e.target.value.replace(/\D/g, ''))}
              onBlur={() => setTyped(String(page))}
              aria-label={`Page number, 1 to ${pages.toLocaleString('en')}`}
              disabled={busy}
            />{' '}
            of {pages.toLocaleString('en')}
          </label>
        </form>
      )}
      <button type="button" className="button button-small" disabled={offset + pageSize >= total || busy} onClick={() => onPage(offset + pageSize)}>
        Next
      </button>
    </div>
  );
}
